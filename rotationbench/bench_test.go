package rotationbench

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// bench starts an emulated org with e and runs the bench with n refreshes against it.
func runBench(t *testing.T, e Emulated, n int) *Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tg, closeOrg, err := StartEmulated(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	defer closeOrg()
	r, err := Run(ctx, tg, Config{N: n})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestDebugPrint(t *testing.T) {
	r := runBench(t, Emulated{}, 5)
	b, _ := json.MarshalIndent(r, "", "  ")
	fmt.Println(string(b))
	_ = strings.Join
}
