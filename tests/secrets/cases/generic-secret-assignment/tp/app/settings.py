DEBUG = False
SECRET_KEY = 'P8k!e_LPn4.?VQ2@TqfoKUo#jRL&mGd=QhsFp!Fd9hx=968i1?'
ALLOWED_HOSTS = ['api.acme.test']
