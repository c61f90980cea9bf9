package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

const userUsage = `Usage:
  iop user add --email E --name N --role R [--org ORG_ID]
  iop user passwd --email E
  iop user disable --email E
  iop user reset-totp --email E

reset-totp removes the user's two-factor app and recovery codes (a lost
phone): an admin or officer sets up a new one at the next password login.

Roles: admin, officer, coordinator, association_staff (needs --org), viewer.
The password is read from standard input when it is piped in; otherwise a
random one is generated and printed once.
`

func cmdUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	if shown, err := subcommandHelp("user", userUsage, args, stdout); shown {
		return err
	}
	fs := flag.NewFlagSet("iop user "+args[0], flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(stdout, userUsage) }
	email := fs.String("email", "", "e-mail address (the login)")
	name := fs.String("name", "", "full name (add)")
	role := fs.String("role", "", "role (add)")
	org := fs.Int64("org", 0, "organisation id, for association_staff (add)")
	if err := parseFlags(fs, args[1:], stdout); err != nil {
		return helpOK(err)
	}
	if *email == "" {
		return errors.New("user: --email is required")
	}
	db, err := openDB(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	svc, err := newAuth(db)
	if err != nil {
		return err
	}
	cli := partnership.SystemActor("cli")

	switch args[0] {
	case "add":
		u := partnership.User{Email: *email, Name: *name, Role: partnership.Role(*role)}
		if *org != 0 {
			u.OrganisationID = org
		}
		password, err := readPassword(stdin)
		if err != nil {
			return err
		}
		created, set, err := svc.CreateUser(ctx, cli, u, password)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "created user %d %s (%s)\n", created.ID, created.Email, created.Role.Label())
		if password == "" {
			fmt.Fprintf(stdout, "password: %s\n", set)
		}
		return nil
	case "passwd":
		u, err := postgres.NewUsers(db.Pool).ByEmail(ctx, *email)
		if err != nil {
			return describe(err)
		}
		password, err := readPassword(stdin)
		if err != nil {
			return err
		}
		_, set, err := svc.SetPassword(ctx, cli, u.ID, password)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "password of %s changed; their sessions have ended\n", u.Email)
		if password == "" {
			fmt.Fprintf(stdout, "password: %s\n", set)
		}
		return nil
	case "reset-totp":
		u, err := postgres.NewUsers(db.Pool).ByEmail(ctx, *email)
		if err != nil {
			return describe(err)
		}
		if err := svc.TOTP(nil).Reset(ctx, cli, u.ID); err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "two-factor login of %s reset; a new app is set up at the next password login\n", u.Email)
		return nil
	case "disable":
		u, err := postgres.NewUsers(db.Pool).ByEmail(ctx, *email)
		if err != nil {
			return describe(err)
		}
		if _, err := svc.SetActive(ctx, cli, u.ID, false); err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "user %s disabled; their sessions have ended\n", u.Email)
		return nil
	}
	return fmt.Errorf("user: unknown subcommand %q\n\n%s", args[0], userUsage)
}

// readPassword reads one line from stdin when it is a pipe or a file; from a
// terminal (or nothing at all) it returns "" so that one is generated.
func readPassword(stdin io.Reader) (string, error) {
	if f, ok := stdin.(*os.File); ok {
		info, err := f.Stat()
		if err != nil || info.Mode()&os.ModeCharDevice != 0 {
			return "", nil
		}
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// describe turns domain errors into messages for the command line.
func describe(err error) error {
	var verr partnership.ValidationError
	switch {
	case errors.As(err, &verr):
		return fmt.Errorf("invalid input: %s", strings.TrimPrefix(verr.Error(), "validation failed: "))
	case errors.Is(err, partnership.ErrNotFound):
		return errors.New("no such user")
	}
	return err
}
