"""``ngshare-course-management``: courses and rosters on the service.

Same sub-commands, arguments and success lines as ngshare_exchange's command, so scripts
written for it keep working. Differences: a failure prints one line to stderr naming the
cause (exit status 255, as before), never a traceback; ``add_instructor`` without
``-f/-l/-e`` keeps the names the service already has (or sends empty ones) instead of being
refused; gradebook updates that fail are reported.
"""

import argparse
import csv
import os
import subprocess
import sys

from . import client as api
from .client import ServiceClient, ServiceError


class Failure(Exception):
    """Ends the command with one line on stderr and exit status 255."""


def _colour(code, text, stream):
    if stream.isatty() and not os.environ.get("NO_COLOR"):
        return "\033[{}m {}\033[00m".format(code, text)
    return text


def ok(text):
    print(_colour("92", text, sys.stdout), flush=True)


def warn(text):
    print(_colour("93", text, sys.stderr), file=sys.stderr, flush=True)


def error(text):
    print(_colour("91", text, sys.stderr), file=sys.stderr, flush=True)


def configured_url():
    """The service URL from nbgrader_config.py (either plugin's configureExchange), else k8s default."""
    try:
        from nbgrader.apps import NbGrader

        app = NbGrader()
        app.load_config_file()
        cls = app.config.ExchangeFactory.get("exchange")
        section = app.config.get("Exchange", {})
        url = ""
        if cls is not None and not isinstance(cls, str):
            try:
                url = getattr(cls(config=app.config), "ngshare_url", "") or ""
            except Exception:  # noqa: BLE001 - e.g. ngshare_exchange raising without a URL
                url = ""
        url = url or section.get("ngshare_url", "") or section.get("_ngshare_url", "")
    except Exception as err:  # noqa: BLE001 - a broken config file is reported in one line
        raise Failure(
            "Cannot determine ngshare URL. Please check your nbgrader_config.py! ({}: {})".format(
                type(err).__name__, err
            )
        )
    url = url or api.default_url()
    if not url:
        raise Failure(
            "Cannot determine ngshare URL. Please check your nbgrader_config.py! (no "
            "configureExchange(c, URL) line was found in it)"
        )
    return url


class Roster:
    def __init__(self, client):
        self.client = client

    def call(self, method, path, fields=None, what=""):
        try:
            return self.client.request(method, path, fields=fields)
        except ServiceError as err:
            if err.kind == api.FORBIDDEN and err.server_message == "Permission denied":
                # the service says why only in --debug mode: name the cause here
                raise Failure("{}: Permission denied ({})".format(what, self.role_needed(path)))
            if err.kind in (api.FORBIDDEN, api.NOT_FOUND, api.REFUSED, api.TOO_LARGE):
                raise Failure("{}: {}".format(what, err.server_message or err))
            raise Failure("{}: {}".format(what, err))

    def role_needed(self, path):
        user = self.client.username or "you"
        parts = path.strip("/").split("/")
        if parts[0] == "course":
            return "{} is not an ngshare administrator".format(user)
        return "{} is neither an instructor of course {} nor an ngshare administrator".format(
            user, parts[1] if len(parts) > 1 else "?"
        )


def check_username_warning(users):
    upper = [u for u in users if u != u.lower()]
    if upper:
        warn(
            "The following usernames have upper-case letters. JupyterHub normally makes user "
            "names lower case; if the user cannot reach the course, add their lower-case name "
            "instead: " + ", ".join(upper)
        )


def gradebook(command, what):
    """Run an ``nbgrader db student …`` command; report (not hide) its failure."""
    try:
        result = subprocess.run(command, capture_output=True, text=True)
    except OSError as err:
        warn("{}: the gradebook was not updated ({})".format(what, err))
        return
    if result.returncode != 0:
        lines = [ln for ln in (result.stderr + result.stdout).splitlines() if ln.strip()]
        warn(
            "{}: the gradebook was not updated ({})".format(
                what, lines[-1].strip() if lines else "exit {}".format(result.returncode)
            )
        )


def add_to_gradebook(student_id, first, last, email):
    cmd = ["nbgrader", "db", "student", "add"]
    for flag, value in (("--first-name", first), ("--last-name", last), ("--email", email)):
        if value:
            cmd += [flag, value]
    gradebook(cmd + [student_id], "Student {}".format(student_id))


def create_course(roster, args):
    instructors = args.instructors or []
    check_username_warning(instructors)
    import json

    roster.call(
        "POST",
        "/course/{}".format(args.course_id),
        {"instructors": json.dumps(instructors)},
        "Cannot create course {}".format(args.course_id),
    )
    ok("Successfully created {}".format(args.course_id))


def add_instructor(roster, args):
    check_username_warning([args.instructor_id])
    names = {"first_name": args.first_name, "last_name": args.last_name, "email": args.email}
    what = "Cannot add {} as an instructor of {}".format(args.instructor_id, args.course_id)
    if any(v is None for v in names.values()):
        # keep what the service has for names not given (a new instructor gets empty ones)
        current = {}
        try:
            current = roster.client.get("/instructor/{}/{}".format(args.course_id, args.instructor_id))
        except ServiceError as err:
            if err.kind not in (api.NOT_FOUND, api.FORBIDDEN):
                raise Failure("{}: {}".format(what, err))
        for key, value in names.items():
            if value is None:
                names[key] = current.get(key) or ""
    roster.call("POST", "/instructor/{}/{}".format(args.course_id, args.instructor_id), names, what)
    ok("Successfully added {} as an instructor to {}".format(args.instructor_id, args.course_id))


def remove_instructor(roster, args):
    roster.call(
        "DELETE",
        "/instructor/{}/{}".format(args.course_id, args.instructor_id),
        {},
        "Cannot remove instructor {} from {}".format(args.instructor_id, args.course_id),
    )
    ok("Successfully deleted instructor {} from {}".format(args.instructor_id, args.course_id))


def add_student(roster, args):
    check_username_warning([args.student_id])
    fields = {
        "first_name": args.first_name or "",
        "last_name": args.last_name or "",
        "email": args.email or "",
    }
    roster.call(
        "POST",
        "/student/{}/{}".format(args.course_id, args.student_id),
        fields,
        "Cannot add {} to {}".format(args.student_id, args.course_id),
    )
    ok("Successfully added/updated {} on {}".format(args.student_id, args.course_id))
    if not args.no_gb:
        add_to_gradebook(args.student_id, fields["first_name"], fields["last_name"], fields["email"])


def read_csv(path):
    if not os.path.isfile(path):
        raise Failure("The csv file you entered does not exist. Please enter a valid path! ({})".format(path))
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        raise Failure("The csv file you entered is empty ({})".format(path))
    header = [h.strip() for h in rows[0]]
    for col in ("student_id", "first_name", "last_name", "email"):
        if col not in header:
            raise Failure("Missing column {} in {}.".format(col, path))
    idx = {c: header.index(c) for c in header}
    students = []
    for n, row in enumerate(rows[1:], start=1):
        if not any(cell.strip() for cell in row):
            continue
        cell = lambda c: row[idx[c]].strip() if idx[c] < len(row) else ""  # noqa: E731
        if not cell("student_id"):
            error("Student ID cannot be empty (row {})".format(n))
            continue
        students.append(
            {
                "username": cell("student_id"),
                "first_name": cell("first_name"),
                "last_name": cell("last_name"),
                "email": cell("email"),
            }
        )
    return students


def add_students(roster, args):
    import json

    students = read_csv(args.csv_file)
    check_username_warning([s["username"] for s in students])
    answer = roster.call(
        "POST",
        "/students/{}".format(args.course_id),
        {"students": json.dumps(students)},
        "Cannot add the students of {} to {}".format(args.csv_file, args.course_id),
    )
    failed = 0
    for i, status in enumerate(answer.get("status", [])):
        user = status.get("username")
        if status.get("success"):
            ok("{} was successfully added to {}".format(user, args.course_id))
            if not args.no_gb:
                s = students[i]
                add_to_gradebook(user, s["first_name"], s["last_name"], s["email"])
        else:
            failed += 1
            error(
                "There was an error adding {} to {}: {}".format(
                    user, args.course_id, status.get("message")
                )
            )
    if failed:
        raise Failure("{} of {} students were not added to {}".format(failed, len(students), args.course_id))


def remove_students(roster, args):
    for student in args.students:
        roster.call(
            "DELETE",
            "/student/{}/{}".format(args.course_id, student),
            {},
            "Cannot remove {} from {}".format(student, args.course_id),
        )
        ok("Successfully deleted {} from {}".format(student, args.course_id))
        if not args.no_gb:
            cmd = ["nbgrader", "db", "student", "remove", student] + (["--force"] if args.force else [])
            gradebook(cmd, "Student {}".format(student))


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="ngshare-course-management", description="ngshare Course Management"
    )
    sub = parser.add_subparsers()

    p = sub.add_parser("create_course", help="Create a course")
    p.add_argument("course_id", metavar="COURSE_ID", help="ID of the course")
    p.add_argument(
        "instructors", metavar="INSTRUCTOR", nargs="*", default=None,
        help="List of instructors assigned to the course",
    )
    p.set_defaults(func=create_course)

    p = sub.add_parser("add_instructor", help="Add/update one instructor for a course")
    p.add_argument("course_id", metavar="COURSE_ID", help="ID of the course")
    p.add_argument("instructor_id", metavar="INSTRUCTOR_ID", help="Username of the added/modified instructor")
    p.add_argument("-f", "--first_name", default=None, help="First name of the instructor")
    p.add_argument("-l", "--last_name", default=None, help="Last name of the instructor")
    p.add_argument("-e", "--email", default=None, help="Email of the instructor")
    p.set_defaults(func=add_instructor)

    p = sub.add_parser("remove_instructor", help="Remove one instructor from a course")
    p.add_argument("course_id", metavar="COURSE_ID", help="ID of the course")
    p.add_argument("instructor_id", metavar="INSTRUCTOR_ID", help="Username of the instructor to remove")
    p.set_defaults(func=remove_instructor)

    p = sub.add_parser("add_student", help="Add/update one student for a course")
    p.add_argument("course_id", metavar="COURSE_ID", help="ID of the course")
    p.add_argument("student_id", metavar="STUDENT_ID", help="Username of the added/modified student")
    p.add_argument("-f", "--first_name", default=None, help="First name of the student")
    p.add_argument("-l", "--last_name", default=None, help="Last name of the student")
    p.add_argument("-e", "--email", default=None, help="Email of the student")
    p.add_argument("--no-gb", action="store_true", help="Do not add student to local nbgrader gradebook")
    p.set_defaults(func=add_student)

    p = sub.add_parser("add_students", help="Add/update multiple students in a course using a CSV file")
    p.add_argument("course_id", metavar="COURSE_ID", help="ID of the course")
    p.add_argument(
        "csv_file", metavar="CSV_FILE",
        help="A CSV file with four fields: student_id,first_name,last_name,email",
    )
    p.add_argument("--no-gb", action="store_true", help="Do not add students to local nbgrader gradebook")
    p.set_defaults(func=add_students)

    p = sub.add_parser("remove_students", help="Remove one or more students from a course")
    p.add_argument("course_id", metavar="COURSE_ID", help="ID of the course")
    p.add_argument("students", metavar="STUDENT", nargs="+", help="List of student IDs to remove")
    p.add_argument("--no-gb", action="store_true", help="Do not remove student from local nbgrader gradebook")
    p.add_argument(
        "--force", action="store_true",
        help="Force student removal from local nbgrader gradebook, even if this deletes their grades",
    )
    p.set_defaults(func=remove_students)

    parser.set_defaults(func=None)
    args = parser.parse_args(argv)
    if args.func is None:
        parser.print_help()
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.func is None:
        return 0
    try:
        client = ServiceClient(configured_url(), token=api.env_token(), username=api.env_username())
        args.func(Roster(client), args)
    except Failure as err:
        error(str(err))
        return 255
    except ServiceError as err:
        error(str(err))
        return 255
    except KeyboardInterrupt:
        error("Interrupted")
        return 130
    except Exception as err:  # noqa: BLE001 - the catch-all: one line, never a traceback
        error(
            "ngshare-course-management stopped on an unexpected error ({}: {})".format(
                type(err).__name__, " ".join(str(err).split())
            )
        )
        return 255
    return 0


if __name__ == "__main__":
    sys.exit(main())
