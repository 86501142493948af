package rotationbench_test

import (
	"context"
	"fmt"
	"time"

	"github.com/connectedapplab/connectedapplab/rotationbench"
)

// Five refreshes at once with one refresh token against an emulated org whose app rotates
// refresh tokens, as Salesforce does (no reuse grace period).
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	target, closeOrg, err := rotationbench.StartEmulated(ctx, rotationbench.Emulated{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer closeOrg()
	r, err := rotationbench.Run(ctx, target, rotationbench.Config{N: 5})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("winners:", len(r.Winners), "refused:", len(r.Refused))
	fmt.Println("replay refused:", r.ReplayRefused)
	fmt.Println("family revoked:", r.FamilyRevoked, "by the", r.RevokedBy)
	fmt.Println("a refresh token survived:", r.Current != "")
	fmt.Println(r.Store[1])
	// Output:
	// winners: 1 refused: 4
	// replay refused: true
	// family revoked: yes by the race
	// a refresh token survived: false
	// Allow one refresh in flight per token: put refreshing behind one lock (single-flight across threads, a file or database lock across processes); the others wait and use its result.
}
