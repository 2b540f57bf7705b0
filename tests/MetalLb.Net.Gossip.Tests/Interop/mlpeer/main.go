// mlpeer: a hashicorp/memberlist member driven over stdin/stdout, used by the MetalLb.Net
// gossip interop tests and benchmark as a foreign peer. Built offline from Debian's packages.
//
// Lines printed: "READY <name> <addr:port>", "JOIN <name>", "LEAVE <name>",
// "MEMBERS <name,...>", "BENCH n=<N> ms=<detection ms>", "ERR <text>".
// Commands read: "join <addr:port>", "members", "leave", "quit".
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/base64"
	"flag"
	"fmt"
	"io/ioutil"
	"log"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/memberlist"
)

type events struct {
	self string
	out  *sync.Mutex
	onLeave func(name string)
}

func (e *events) NotifyJoin(n *memberlist.Node) { e.print("JOIN %s", n.Name) }
func (e *events) NotifyLeave(n *memberlist.Node) {
	// memberlist 0.2.2 does not set Node.State on leave, so left and dead look alike here;
	// tests tell them apart by making this member's own suspicion too slow to fire.
	e.print("LEAVE %s", n.Name)
	if e.onLeave != nil {
		e.onLeave(n.Name)
	}
}
func (e *events) NotifyUpdate(n *memberlist.Node) {}
func (e *events) print(format string, args ...interface{}) {
	if e.out == nil {
		return
	}
	e.out.Lock()
	defer e.out.Unlock()
	fmt.Printf(format+"\n", args...)
}

func config(name, bind string, port int, key []byte, ev memberlist.EventDelegate, quiet bool) *memberlist.Config {
	c := memberlist.DefaultLANConfig()
	c.Name = name
	c.BindAddr = bind
	c.BindPort = port
	c.AdvertiseAddr = bind
	c.AdvertisePort = port
	c.SecretKey = key
	c.Events = ev
	if quiet {
		c.LogOutput = ioutil.Discard
	} else {
		c.LogOutput = os.Stderr
	}
	return c
}

func main() {
	name := flag.String("name", "go", "member name")
	bind := flag.String("bind", "127.0.0.1", "bind address")
	port := flag.Int("port", 0, "bind port")
	keyText := flag.String("key", "", "base64 AES key (16, 24 or 32 bytes); empty: no encryption")
	secret := flag.String("metallb-secret", "", "derive the key from this memberlist Secret text exactly as upstream MetalLB's speaker does")
	join := flag.String("join", "", "comma-separated addr:port to join")
	suspicionMult := flag.Int("suspicion-mult", 0, "override SuspicionMult (0: the LAN default)")
	bench := flag.Int("bench", 0, "benchmark: run N members in this process, kill one, print detection time")
	flag.Parse()

	var key []byte
	if *keyText != "" {
		k, err := base64.StdEncoding.DecodeString(*keyText)
		if err != nil {
			log.Fatalf("bad key: %v", err)
		}
		key = k
	}
	if *secret != "" {
		// Upstream MetalLB (speakerlist.go): sha256.New().Sum(secret) appends the hash of the
		// empty input to the secret; the first 32 bytes are the key. Kept verbatim on purpose.
		key = sha256.New().Sum([]byte(*secret))[:32]
	}
	if *bench > 0 {
		runBench(*bench, *bind, *port, key)
		return
	}

	mu := &sync.Mutex{}
	ev := &events{self: *name, out: mu}
	cfg := config(*name, *bind, *port, key, ev, false)
	if *suspicionMult > 0 {
		cfg.SuspicionMult = *suspicionMult
	}
	ml, err := memberlist.Create(cfg)
	if err != nil {
		fmt.Printf("ERR %v\n", err)
		os.Exit(1)
	}
	ev.print("READY %s %s:%d", *name, *bind, ml.LocalNode().Port)
	if *join != "" {
		if _, err := ml.Join(strings.Split(*join, ",")); err != nil {
			ev.print("ERR join: %v", err)
		}
	}
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		fields := strings.Fields(in.Text())
		if len(fields) == 0 {
			continue
		}
		switch fields[0] {
		case "join":
			if _, err := ml.Join(fields[1:]); err != nil {
				ev.print("ERR join: %v", err)
			} else {
				ev.print("JOINED")
			}
		case "members":
			var names []string
			for _, m := range ml.Members() {
				names = append(names, m.Name)
			}
			sort.Strings(names)
			ev.print("MEMBERS %s", strings.Join(names, ","))
		case "leave":
			ml.Leave(time.Second)
			ml.Shutdown()
			ev.print("LEFT")
			return
		case "quit":
			ml.Shutdown()
			return
		}
	}
	ml.Shutdown()
}

// runBench starts n members with the LAN defaults, waits until all see all, shuts the last one
// down without leaving (as a crash looks to its peers) and reports how long until every other
// member has declared it dead.
func runBench(n int, bind string, basePort int, key []byte) {
	var mu sync.Mutex
	victim := fmt.Sprintf("go-%d", n-1)
	pending := map[string]bool{}
	var killed time.Time
	done := make(chan time.Time, 1)
	var lists []*memberlist.Memberlist
	for i := 0; i < n; i++ {
		me := fmt.Sprintf("go-%d", i)
		ev := &events{self: me}
		ev.onLeave = func(who string) {
			mu.Lock()
			defer mu.Unlock()
			if who != victim || !pending[me] {
				return
			}
			delete(pending, me)
			if len(pending) == 0 {
				done <- time.Now()
			}
		}
		ml, err := memberlist.Create(config(me, bind, basePort+i, key, ev, true))
		if err != nil {
			fmt.Printf("ERR %v\n", err)
			os.Exit(1)
		}
		lists = append(lists, ml)
		if i > 0 {
			if _, err := ml.Join([]string{fmt.Sprintf("%s:%d", bind, basePort)}); err != nil {
				fmt.Printf("ERR join: %v\n", err)
				os.Exit(1)
			}
		}
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		all := true
		for _, ml := range lists {
			if ml.NumMembers() != n {
				all = false
			}
		}
		if all {
			break
		}
		if time.Now().After(deadline) {
			fmt.Println("ERR cluster did not converge")
			os.Exit(1)
		}
		time.Sleep(10 * time.Millisecond)
	}
	mu.Lock()
	for i := 0; i < n-1; i++ {
		pending[fmt.Sprintf("go-%d", i)] = true
	}
	killed = time.Now()
	mu.Unlock()
	lists[n-1].Shutdown()
	select {
	case t := <-done:
		fmt.Printf("BENCH n=%d ms=%d\n", n, t.Sub(killed).Milliseconds())
	case <-time.After(120 * time.Second):
		fmt.Println("ERR timeout")
	}
	for _, ml := range lists[:n-1] {
		ml.Shutdown()
	}
}
