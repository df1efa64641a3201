# zdm's shared socket is bound to [::]:PORT; puma adopts an inherited socket only when it matches
# one of its binds, unless told to take the activated sockets as they are:
bind_to_activated_sockets "only"
threads 4, 4
# Single mode (no `workers`): zdm runs the cluster. On SIGTERM puma stops accepting, finishes the
# requests in flight and exits; with NOTIFY_SOCKET set (ruby-sd-notify) it sends READY=1,
# STOPPING=1 and, when WATCHDOG_USEC is set, WATCHDOG=1 every half of it.
