//go:build !unix

package userfiletest

import "errors"

func mkfifo(string) error { return errors.ErrUnsupported }
