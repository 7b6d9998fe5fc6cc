#!/usr/bin/env python3
"""Writes the rollsense(1) man page (man(7) macros) from `rollsense --experimental-dump-help`
on stdin: the same command definitions that --help and the shell completions come from.
(swift-argument-parser's generate-manual plugin builds every product of the package in the
configuration it is given, so `make install` would build the tests' tools too; this reads the
installed binary's own description instead.)"""
import json
import sys


def esc(text):
    """Escapes text for roff: backslashes, and a leading dot or quote."""
    text = (text or "").replace("\\", "\\e").replace("-", "\\-")
    lines = []
    for line in text.split("\n"):
        if line.startswith((".", "'")):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines)


def paragraphs(text):
    """Discussion text: blank lines separate paragraphs; indented lines (examples) stay as they are."""
    out = []
    for block in (text or "").split("\n\n"):
        lines = block.split("\n")
        if any(l.startswith("  ") for l in lines[1:]) or block.startswith("  "):
            head = [l for l in lines if not l.startswith("  ")]
            code = [l.strip() for l in lines if l.startswith("  ")]
            if head:
                out.append(".PP\n" + esc(" ".join(head)))
            out.append(".PP\n.nf\n.RS 4\n" + "\n".join(esc(c) for c in code) + "\n.RE\n.fi")
        else:
            out.append(".PP\n" + esc(" ".join(l.strip() for l in lines)))
    return "\n".join(out)


def option_label(arg):
    names = []
    for name in arg.get("names", []):
        dash = "\\-\\-" if name["kind"] == "long" else "\\-"
        names.append("\\fB" + dash + esc(name["name"]) + "\\fR")
    label = ", ".join(names) if names else "\\fI" + esc(arg.get("valueName", "")) + "\\fR"
    if arg["kind"] == "option":
        label += " \\fI<" + esc(arg.get("valueName", "value")) + ">\\fR"
    return label


def arguments(command):
    out = []
    for arg in command.get("arguments", []):
        if not arg.get("shouldDisplay", True):
            continue
        out.append(".TP\n" + option_label(arg))
        text = esc(arg.get("abstract", ""))
        if arg.get("defaultValue") not in (None, "", "false"):
            text += " (default: " + esc(arg["defaultValue"]) + ")"
        out.append(text)
    return "\n".join(out)


def command_section(command, path):
    name = " ".join(path)
    out = [".SS \"" + esc(name) + "\"", esc(command.get("abstract", ""))]
    if command.get("discussion"):
        out.append(paragraphs(command["discussion"]))
    args = arguments(command)
    if args:
        out.append(".PP\nOptions:\n" + args)
    for sub in command.get("subcommands", []):
        if sub.get("commandName") == "help":
            continue
        out.append(command_section(sub, path + [sub["commandName"]]))
    return "\n".join(out)


def main():
    root = json.load(sys.stdin)["command"]
    name = root["commandName"]
    subs = [s for s in root.get("subcommands", []) if s.get("commandName") != "help"]
    page = [
        '.TH %s 1 "" "%s" "User Commands"' % (name.upper(), name),
        ".SH NAME",
        "%s \\- %s" % (name, esc(root.get("abstract", ""))),
        ".SH SYNOPSIS",
        "\\fB%s\\fR \\fIsubcommand\\fR [\\fIoptions\\fR]" % name,
        ".SH DESCRIPTION",
        paragraphs(root.get("discussion", "")),
    ]
    if arguments(root):
        page += [".SH OPTIONS", arguments(root)]
    page.append(".SH COMMANDS")
    for sub in subs:
        page.append(command_section(sub, [name, sub["commandName"]]))
    page += [".SH FILES",
             ".TP\n\\fIPREFIX/share/rollsense/firmware/\\fR\nfirmware images for \\fBrollsense flash\\fR",
             ".TP\n\\fI/etc/udev/rules.d/99\\-rollsense.rules\\fR\nserial port access and ModemManager exclusion for the boards",
             ".SH SEE ALSO", "\\fBavrdude\\fR(1), \\fBudevadm\\fR(8)"]
    print("\n".join(p for p in page if p))


main()
