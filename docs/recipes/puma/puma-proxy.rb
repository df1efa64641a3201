# listen: proxy: puma binds the private PORT zdm gives each worker.
bind "tcp://127.0.0.1:#{ENV.fetch('PORT')}"
threads 4, 4
