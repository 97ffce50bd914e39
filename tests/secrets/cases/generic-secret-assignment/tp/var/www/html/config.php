<?php
$db_host = 'localhost';
$db_password = 'zte3MYElhhXolRgu';
