// The go-imap v1 memory backend ("backend/memory", Debian
// golang-github-emersion-go-imap-dev 1.2.0) served on 127.0.0.1; built offline in GOPATH
// mode against /usr/share/gocode by ./install. The stock backend has a single user
// "username"/"password" with one sample message; here every user named in -users (password
// -password) gets a memory backend of its own whose INBOX starts empty.
package main

import (
	"crypto/tls"
	"errors"
	"flag"
	"log"
	"strings"
	"sync"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/backend"
	"github.com/emersion/go-imap/backend/memory"
	"github.com/emersion/go-imap/server"
)

type multi struct {
	mu       sync.Mutex
	password string
	users    map[string]backend.User
}

func (m *multi) Login(_ *imap.ConnInfo, username, password string) (backend.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.users[username]
	if !ok || password != m.password {
		return nil, errors.New("Bad username or password")
	}
	return u, nil
}

func emptyUser() backend.User {
	u, err := memory.New().Login(nil, "username", "password")
	if err != nil {
		log.Fatal(err)
	}
	mbox, err := u.GetMailbox("INBOX")
	if err != nil {
		log.Fatal(err)
	}
	all, _ := imap.ParseSeqSet("1:*")
	if err := mbox.UpdateMessagesFlags(false, all, imap.AddFlags, []string{imap.DeletedFlag}); err != nil {
		log.Fatal(err)
	}
	if err := mbox.Expunge(); err != nil {
		log.Fatal(err)
	}
	return u
}

func main() {
	addr := flag.String("addr", "127.0.0.1:16143", "plain listen address")
	tlsAddr := flag.String("tls-addr", "", "implicit TLS listen address (optional)")
	cert := flag.String("cert", "", "TLS cert (PEM); enables STARTTLS and -tls-addr")
	key := flag.String("key", "", "TLS key (PEM)")
	users := flag.String("users", "user1 user2 user3 user4 user5", "space separated user names")
	password := flag.String("password", "pass", "password of every user")
	debug := flag.Bool("debug", false, "log IMAP traffic to stderr")
	flag.Parse()

	be := &multi{password: *password, users: map[string]backend.User{}}
	for _, name := range strings.Fields(*users) {
		be.users[name] = emptyUser()
	}
	newServer := func(a string) *server.Server {
		s := server.New(be)
		s.Addr = a
		s.AllowInsecureAuth = true // LOGIN / AUTHENTICATE PLAIN without TLS
		if *debug {
			s.Debug = log.Writer()
		}
		if *cert != "" {
			c, err := tls.LoadX509KeyPair(*cert, *key)
			if err != nil {
				log.Fatal(err)
			}
			s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{c}}
		}
		return s
	}
	if *tlsAddr != "" {
		st := newServer(*tlsAddr)
		go func() { log.Fatal(st.ListenAndServeTLS()) }()
	}
	log.Printf("go-imap memory server on %s", *addr)
	log.Fatal(newServer(*addr).ListenAndServe())
}
