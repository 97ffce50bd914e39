Stripe.api_key = 'rk_live_QKJBZr48SziLKf8pGCM6Pgur'
Stripe::Refund.create(charge: ARGV[0])
