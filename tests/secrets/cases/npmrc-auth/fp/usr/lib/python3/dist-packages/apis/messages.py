class Credential(_messages.Message):
  _auth = _messages.StringField(1)
  _password = _messages.StringField(2)
