"""Lists every skipped test of the surefire/failsafe reports given, with its reason, so that a
skip is seen rather than hidden; a test that the non-root run (nonroot-reports) ran is marked so.
Usage: skipped.py <report.xml>..."""
import sys
import xml.etree.ElementTree as ET

skipped, nonroot = [], {}


def reason(skip):
    """The assumption's message: the attribute, else the first line of the stack trace."""
    text = (skip.get("message") or skip.text or "").strip()
    first = text.splitlines()[0] if text else "no reason given"
    return first.split("Assumption failed: ", 1)[-1].split("TestAbortedException: ", 1)[-1]


for path in sys.argv[1:]:
    try:
        suite = ET.parse(path).getroot()
    except ET.ParseError:
        continue
    for case in suite.iter("testcase"):
        name = case.get("classname", "?") + "#" + case.get("name", "?").split("(")[0]
        failed = case.find("failure") is not None or case.find("error") is not None
        skip = case.find("skipped")
        if "nonroot-reports" in path:
            nonroot[name] = "skipped" if skip is not None else "failed" if failed else "passed"
        elif skip is not None:
            skipped.append((name, reason(skip)))

if skipped:
    print("skipped tests (%d), each with its reason:" % len(skipped))
    for name, why in sorted(skipped):
        other = nonroot.get(name)
        print("  %s: %s%s" % (name, why, "" if other is None else " [run as a non-root user instead: %s]" % other))
