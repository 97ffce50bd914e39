const twilio = require('twilio');
const AccessToken = twilio.jwt.AccessToken;
const t = new AccessToken(accountSid, 'SKa48689b89a21bb7b8ed2981f5ac3e101', apiSecret);
