const stripe = Stripe('pk_live_uQgBgTFxTlpgaEaQ7OJWwihu');
