class Lexer:
    def read(self):
        if self.state == 'a':
            self.token = nextchar
        self.username, self.password = credentials
PseudoToken = Whitespace + group(Number, Name)
