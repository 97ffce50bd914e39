const stripe = Stripe('pk_test_NTRJdIyPUV6aWq58JWh6aCeN');
