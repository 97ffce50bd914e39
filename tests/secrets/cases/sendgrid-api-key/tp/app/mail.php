<?php
$sendgrid = new \SendGrid('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');
