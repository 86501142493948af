// Command bench-cli times `connectedapplab run --flow username-password --json` as a whole
// process against curl doing the same POST, both against one local emulated org
// (`connectedapplab emulate`, served by the first binary), in turns: each round runs every
// binary and curl once, in an order that rotates. The first binary is the headline (the
// packaged connectedapplab-cli); scripts/bench-cli builds it and runs it.
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
	"strings"
	"time"
)

type org struct {
	BaseURL string `json:"base_url"`
	Users   []struct {
		Username      string `json:"username"`
		Password      string `json:"password"`
		SecurityToken string `json:"security_token"`
	} `json:"users"`
	Apps []app `json:"apps"`
}

type app struct {
	Name         string   `json:"name"`
	ClientID     string   `json:"client_id"`
	ClientSecret string   `json:"client_secret"`
	Flows        []string `json:"flows"`
}

func main() {
	var bins []string
	flag.Func("bin", "`name=path` of a connectedapplab binary to time (repeat the flag to time several)", func(s string) error {
		if !strings.Contains(s, "=") {
			return fmt.Errorf("%q: want name=path", s)
		}
		bins = append(bins, s)
		return nil
	})
	curl := flag.String("curl", "curl", "the curl binary")
	n := flag.Int("n", 30, "runs of each")
	flag.Parse()
	if len(bins) == 0 || *n < 1 {
		fmt.Fprintln(os.Stderr, "bench-cli: pass -bin PATH (one or more) and -n N (N >= 1)")
		os.Exit(2)
	}
	if err := bench(bins, *curl, *n); err != nil {
		fmt.Fprintln(os.Stderr, "bench-cli:", err)
		os.Exit(1)
	}
}

func bench(bins []string, curl string, n int) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, first, _ := strings.Cut(bins[0], "=")
	emu := exec.CommandContext(ctx, first, "emulate", "--json")
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
	i := slices.IndexFunc(o.Apps, func(a app) bool {
		return a.ClientSecret != "" && slices.Contains(a.Flows, "username-password")
	})
	if i < 0 {
		return fmt.Errorf("the demo org has no app for username-password")
	}
	a := o.Apps[i]

	// The same token request every way. The CLI gets the secrets from the environment; curl
	// has them in its arguments (they are the emulator's demo values).
	type runner struct {
		name string
		argv []string
		env  []string
		ms   []float64 // wall clock
		cpu  []float64 // user + system time of the process
	}
	var rs []*runner
	cliEnv := append(os.Environ(), "SF_CLIENT_SECRET="+a.ClientSecret, "SF_PASSWORD="+u.Password,
		"SF_SECURITY_TOKEN="+u.SecurityToken)
	for _, nb := range bins {
		name, bin, _ := strings.Cut(nb, "=")
		rs = append(rs, &runner{name: name, env: cliEnv, argv: []string{bin, "run", "--flow", "username-password",
			"--login-url", o.BaseURL, "--client-id", a.ClientID, "--username", u.Username, "--json"}})
	}
	crl := &runner{name: "curl", argv: []string{curl, "-sS", "--fail", "-o", os.DevNull, "--max-time", "10",
		"-d", "grant_type=password", "--data-urlencode", "client_id=" + a.ClientID,
		"--data-urlencode", "client_secret=" + a.ClientSecret, "--data-urlencode", "username=" + u.Username,
		"--data-urlencode", "password=" + u.Password + u.SecurityToken, o.BaseURL + "/services/oauth2/token"}}
	rs = append(rs, crl)

	for range 3 { // warm the page cache and the emulator
		for _, r := range rs {
			if _, _, err := timed(r.argv, r.env); err != nil {
				return err
			}
		}
	}
	ratios := make([][]float64, len(bins))
	for round := range n {
		for k := range rs { // rotate the order, so that none always follows the same one
			r := rs[(round+k)%len(rs)]
			d, cpu, err := timed(r.argv, r.env)
			if err != nil {
				return err
			}
			r.ms, r.cpu = append(r.ms, ms(d)), append(r.cpu, ms(cpu))
		}
		fmt.Printf("run %2d ", round+1)
		for b := range bins {
			ratios[b] = append(ratios[b], rs[b].ms[round]/crl.ms[round])
			fmt.Printf(" %s %6.2f ms (%.2fx)", rs[b].name, rs[b].ms[round], ratios[b][round])
		}
		fmt.Printf("  curl %6.2f ms\n", crl.ms[round])
	}
	mk, kc := median(crl.ms), median(crl.cpu)
	fmt.Printf("medians of %d runs: curl %.2f ms (p25-p75 %.2f-%.2f; cpu %.2f ms)\n", n, mk, quantile(crl.ms, 0.25), quantile(crl.ms, 0.75), kc)
	for b := range bins {
		mc, cc := median(rs[b].ms), median(rs[b].cpu)
		fmt.Printf("medians of %d runs: %s %.2f ms (p25-p75 %.2f-%.2f), %.2fx curl (paired ratios: %.2fx, p25-p75 %.2f-%.2f); cpu %.2f ms, %.2fx curl's\n",
			n, rs[b].name, mc, quantile(rs[b].ms, 0.25), quantile(rs[b].ms, 0.75), mc/mk,
			median(ratios[b]), quantile(ratios[b], 0.25), quantile(ratios[b], 0.75), cc, cc/kc)
	}
	verdict := "met"
	if median(ratios[0]) > 1.25 {
		verdict = "MISSED"
	}
	fmt.Printf("headline: %s is %.2fx curl (median of paired ratios; goal <= 1.25x: %s)\n", rs[0].name, median(ratios[0]), verdict)
	return nil
}

// quantile is the q-th quantile of xs (nearest rank).
func quantile(xs []float64, q float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(q*float64(len(s)) + 0.5)
	return s[max(0, min(len(s)-1, i-1))]
}

// timed runs argv to the end with its output discarded and returns how long it took, and
// the processor time (user and system) it used.
func timed(argv, env []string) (time.Duration, time.Duration, error) {
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
		return 0, 0, fmt.Errorf("%s: %v: %s", argv[0], err, stderr.b)
	}
	return d, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
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
