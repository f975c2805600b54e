package main

import (
	"context"
	"net"
	"time"
)

func connect(addr string) (net.Conn, error) {
	// ruleid: go-net-dial-no-timeout
	return net.Dial("tcp", addr)
}

func connectUDP(network, addr string) error {
	// ruleid: go-net-dial-no-timeout
	c, err := net.Dial(network, addr)
	if err != nil {
		return err
	}
	return c.Close()
}

func connectUnix(path string) (net.Conn, error) {
	// ok: go-net-dial-no-timeout
	return net.Dial("unix", path)
}

func good(addr string) (net.Conn, error) {
	// ok: go-net-dial-no-timeout
	return net.DialTimeout("tcp", addr, 3*time.Second)
}

func goodDialer(ctx context.Context, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: 3 * time.Second}
	// ok: go-net-dial-no-timeout
	return d.DialContext(ctx, "tcp", addr)
}
