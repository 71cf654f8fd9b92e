#!/usr/bin/env python3
"""The integrity diff of bench_diff done the way an analyst would with pandas.

    diff_pandas.py DIR

Reads the Mailchimp export CSVs (subscribed, unsubscribed, cleaned) and the Brevo export in DIR,
normalises the addresses (strip, lower case), merges them outer on the address and counts the
missing, extra and changed records, the changes per field (the status compared as subscribed or
not) and the consent violations
(unsubscribed or cleaned on Mailchimp, not blocklisted on Brevo). Prints "key value" lines.
"""
import os
import sys

import pandas as pd

# Mailchimp column -> Brevo attribute, compared after stripping white space.
FIELDS = [
    ("First Name", "FIRSTNAME"),
    ("Last Name", "LASTNAME"),
    ("Phone Number", "SMS"),
    ("Company", "COMPANY"),
    ("Address", "ADDRESS"),  # Brevo's six ADDRESS_* parts joined as Mailchimp writes them
    ("OPTIN_TIME", "OPTIN_TIME"),
    ("OPTIN_IP", "OPTIN_IP"),
    ("CONFIRM_TIME", "CONFIRM_TIME"),
    ("CONFIRM_IP", "CONFIRM_IP"),
    ("CC", "CC"),
    ("REGION", "REGION"),
]
ADDRESS_PARTS = ["ADDRESS_LINE_1", "ADDRESS_LINE_2", "ADDRESS_CITY", "ADDRESS_STATE", "ADDRESS_ZIP",
                 "ADDRESS_COUNTRY"]
SOURCES = [("subscribed_members_export_bench.csv", "subscribed"),
           ("unsubscribed_members_export_bench.csv", "unsubscribed"),
           ("cleaned_members_export_bench.csv", "cleaned")]
TARGET = "brevo_contacts_export_bench.csv"


def main():
    folder = sys.argv[1]
    source_columns = ["Email Address"] + [s for s, _ in FIELDS]
    parts = []
    for name, status in SOURCES:
        df = pd.read_csv(os.path.join(folder, name), usecols=source_columns, dtype=str,
                         keep_default_na=False)
        df["status"] = status
        parts.append(df)
    src = pd.concat(parts, ignore_index=True)
    del parts
    tgt = pd.read_csv(os.path.join(folder, TARGET), sep=";", dtype=str, keep_default_na=False)

    src = src.rename(columns={s: "s_" + t for s, t in FIELDS})
    src["email"] = src.pop("Email Address").str.strip().str.lower()
    tgt["ADDRESS"] = tgt[ADDRESS_PARTS].agg("  ".join, axis=1)
    tgt = tgt[["EMAIL", "EMAIL_BLACKLISTED"] + [t for _, t in FIELDS]]
    tgt = tgt.rename(columns={t: "t_" + t for _, t in FIELDS})
    tgt["email"] = tgt.pop("EMAIL").str.strip().str.lower()

    merged = src.merge(tgt, on="email", how="outer", indicator=True)
    both = merged[merged["_merge"] == "both"]
    out = {
        "sourceRecords": len(src),
        "targetRecords": len(tgt),
        "missing": int((merged["_merge"] == "left_only").sum()),
        "extra": int((merged["_merge"] == "right_only").sum()),
    }
    any_changed = pd.Series(False, index=both.index)
    for _, t in FIELDS:
        a = both["s_" + t].str.strip()
        b = both["t_" + t].str.strip()
        if t == "SMS":
            a = a.str.replace(r"[^+0-9]", "", regex=True)
            b = b.str.replace(r"[^+0-9]", "", regex=True)
        differs = a != b
        out["field:" + t] = int(differs.sum())
        any_changed |= differs
    # The status compared by class: subscribed on Mailchimp, not blocklisted on Brevo.
    source_subscribed = both["status"] == "subscribed"
    blocked = both["EMAIL_BLACKLISTED"].str.strip().str.lower()
    target_subscribed = ~blocked.isin(["yes", "true", "1"])
    status_differs = source_subscribed != target_subscribed
    out["field:status"] = int(status_differs.sum())
    any_changed |= status_differs
    out["changed"] = int(any_changed.sum())
    out["identical"] = len(both) - out["changed"]
    out["consentViolations"] = int((~source_subscribed & target_subscribed).sum())
    for key, value in out.items():
        print(key, value)


if __name__ == "__main__":
    main()
