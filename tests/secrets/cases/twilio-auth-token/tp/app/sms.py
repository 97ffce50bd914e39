from twilio.rest import Client

client = Client("AC06af3b0f1ff2d661ef77ab595c6ccb95", "e31a595a116f7c4925fcbc454d505e30")
