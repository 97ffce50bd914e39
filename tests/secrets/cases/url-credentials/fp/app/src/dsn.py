def dsn(user, password, host):
    return "postgresql://%s:%s@%s/app" % (user, password, host)


TEMPLATE = "amqp://{user}:{password}@{host}:5672/"
HELP = "redis://<user>:<password>@<host>:6379"
