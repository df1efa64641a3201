// A Go net/http server for zdm, both listen modes. On SIGTERM: stop accepting, answer Connection: close
// for about a second (a keep-alive client's next request gets an answer, then it reconnects elsewhere),
// then Shutdown (srv.Shutdown alone closes connections it thinks idle while the next request is on its way).
package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	var l net.Listener
	var err error
	if os.Getenv("LISTEN_FDS") == "1" && os.Getenv("LISTEN_PID") == strconv.Itoa(os.Getpid()) {
		l, err = net.FileListener(os.NewFile(3, "zdm")) // listen: socket: the shared socket is fd 3
	} else {
		l, err = net.Listen("tcp", "127.0.0.1:"+os.Getenv("PORT")) // listen: proxy: the private PORT
	}
	if err != nil {
		panic(err)
	}
	var stopping atomic.Bool
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if stopping.Load() {
			w.Header().Set("Connection", "close")
		}
		fmt.Fprintf(w, "go pid %d\n", os.Getpid())
	})}
	done := make(chan struct{})
	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGTERM)
		<-sig
		stopping.Store(true)
		l.Close() // stop accepting; the other workers keep taking connections from the queue
		time.Sleep(time.Second)
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		close(done)
	}()
	fmt.Println("listening")
	srv.Serve(l) // returns once the listener is closed; open connections are still served
	<-done
}
