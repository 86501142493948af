// Command bench-cli times `connectedapplab run --flow username-password --json` as a whole
// process against curl doing the same POST, both against one local emulated org
// (`connectedapplab emulate`), in turns. scripts/bench-cli builds it and runs it.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"time"
)

type org struct {
	BaseURL string `json:"base_url"`
	Users   []struct {
		Username      string `json:"username"`
		Password      string `json:"password"`
		SecurityToken string `json:"security_token"`
	} `json:"users"`
	Apps []struct {
		Name         string   `json:"name"`
		ClientID     string   `json:"client_id"`
		ClientSecret string   `json:"client_secret"`
		Flows        []string `json:"flows"`
	} `json:"apps"`
}

func main() {
	bin := flag.String("bin", "", "the connectedapplab binary")
	curl := flag.String("curl", "curl", "the curl binary")
	n := flag.Int("n", 30, "runs of each")
	flag.Parse()
	if *bin == "" || *n < 1 {
		fmt.Fprintln(os.Stderr, "bench-cli: pass -bin PATH and -n N (N >= 1)")
		os.Exit(2)
	}
	if err := bench(*bin, *curl, *n); err != nil {
		fmt.Fprintln(os.Stderr, "bench-cli:", err)
		os.Exit(1)
	}
}

func bench(bin, curl string, n int) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	emu := exec.CommandContext(ctx, bin, "emulate", "--json")
	emu.Stderr = os.Stderr
	out, err := emu.StdoutPipe()
	if err != nil {
		return err
	}
	if err := emu.Start(); err != nil {
		return err
	}
	defer emu.Wait()
	defer cancel()
	line, err := bufio.NewReader(out).ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("the emulator printed no description: %v", err)
	}
	var o org
	if err := json.Unmarshal(line, &o); err != nil {
		return fmt.Errorf("the emulator's description: %v", err)
	}
	u := o.Users[0]
	i := slices.IndexFunc(o.Apps, func(a struct {
		Name         string   `json:"name"`
		ClientID     string   `json:"client_id"`
		ClientSecret string   `json:"client_secret"`
		Flows        []string `json:"flows"`
	}) bool {
		return a.ClientSecret != "" && slices.Contains(a.Flows, "username-password")
	})
	if i < 0 {
		return fmt.Errorf("the demo org has no app for username-password")
	}
	a := o.Apps[i]

	// The same token request both ways; the secrets go in the environment for the CLI, in
	// the body for curl (curl has no other way; these are the emulator's demo values).
	cli := []string{bin, "run", "--flow", "username-password", "--login-url", o.BaseURL,
		"--client-id", a.ClientID, "--username", u.Username, "--json"}
	cliEnv := append(os.Environ(), "SF_CLIENT_SECRET="+a.ClientSecret, "SF_PASSWORD="+u.Password,
		"SF_SECURITY_TOKEN="+u.SecurityToken)
	crl := []string{curl, "-sS", "--fail", "-o", os.DevNull, "--max-time", "10",
		"-d", "grant_type=password", "--data-urlencode", "client_id=" + a.ClientID,
		"--data-urlencode", "client_secret=" + a.ClientSecret, "--data-urlencode", "username=" + u.Username,
		"--data-urlencode", "password=" + u.Password + u.SecurityToken, o.BaseURL + "/services/oauth2/token"}

	for range 3 { // warm the page cache and the emulator
		if _, err := timed(cli, cliEnv); err != nil {
			return err
		}
		if _, err := timed(crl, nil); err != nil {
			return err
		}
	}
	var tc, tu, ratio []float64
	for i := range n {
		var c, k time.Duration
		if i%2 == 0 { // alternate which goes first
			c, err = timed(cli, cliEnv)
			if err == nil {
				k, err = timed(crl, nil)
			}
		} else {
			k, err = timed(crl, nil)
			if err == nil {
				c, err = timed(cli, cliEnv)
			}
		}
		if err != nil {
			return err
		}
		tc, tu = append(tc, ms(c)), append(tu, ms(k))
		ratio = append(ratio, float64(c)/float64(k))
		fmt.Printf("run %2d  cli %6.2f ms  curl %6.2f ms  ratio %.2f\n", i+1, ms(c), ms(k), ratio[i])
	}
	mc, mk := median(tc), median(tu)
	fmt.Printf("median of %d: cli %.2f ms, curl %.2f ms; ratio of medians %.2fx, median of paired ratios %.2fx (goal <= 1.25x)\n",
		n, mc, mk, mc/mk, median(ratio))
	return nil
}

// timed runs argv to the end with its output discarded and returns how long it took.
func timed(argv, env []string) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = env
	var stderr limited
	cmd.Stderr = &stderr
	t0 := time.Now()
	err := cmd.Run()
	d := time.Since(t0)
	if err != nil {
		return 0, fmt.Errorf("%s: %v: %s", argv[0], err, stderr.b)
	}
	return d, nil
}

// limited keeps the first 4 KiB written to it.
type limited struct{ b []byte }

func (l *limited) Write(p []byte) (int, error) {
	if room := 4096 - len(l.b); room > 0 {
		l.b = append(l.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
