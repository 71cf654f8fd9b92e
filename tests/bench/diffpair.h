#pragma once

// The generated pair of exports that bench_diff compares: the source as Mailchimp's audience
// export (a zip of the subscribed, unsubscribed and cleaned CSVs, and those CSVs beside it) and
// the target as a Brevo contact export of the same people, written in another order with known
// differences. Everything is streamed to disk; the same seed gives the same files.

#include <QMap>
#include <QString>

#include <cstdint>

/** The counts a correct diff of the pair reports. */
struct DiffExpectation
{
    qint64 sourceRecords = 0;
    qint64 targetRecords = 0;
    qint64 missing = 0;   ///< deleted on the target
    qint64 extra = 0;     ///< added on the target
    qint64 changed = 0;   ///< records with a mapped field or the status changed (violations too)
    qint64 identical = 0; ///< matched and nothing changed
    /// Unsubscribed or cleaned on the source, not blocklisted on the target.
    qint64 consentViolations = 0;
    /// Brevo attribute -> records where it changed; "status" -> records whose status class
    /// (subscribed or not) changed: the consent violations, the only status changes generated.
    QMap<QString, qint64> changedByField;

    // Not differences, present so that a diff must normalise them away.
    qint64 emailCaseOnly = 0;     ///< the address differs in case only
    qint64 emailSpaces = 0;       ///< the address has spaces around it
    qint64 nameTrailingSpace = 0; ///< FIRSTNAME with a trailing space
    qint64 quotedWithComma = 0;   ///< Company with a comma (both sides)
    qint64 quotedWithNewline = 0; ///< Company over two lines (both sides)
};

/** The files of one generated pair. */
struct DiffPairFiles
{
    QString sourceZip;      ///< what Mailchimp hands out: the three CSVs in one zip
    QStringList sourceCsvs; ///< subscribed, unsubscribed, cleaned
    QString target;         ///< the Brevo export (semicolon-separated)
    qint64 sourceCsvBytes = 0;
    qint64 sourceZipBytes = 0;
    qint64 targetBytes = 0;
};

namespace DiffPair {

/// The source field (Mailchimp export column) and the Brevo attribute it is compared with.
struct MappedField
{
    const char *source;
    const char *target;
};
/// The mapped fields whose values the generator changes on the target.
inline constexpr MappedField kChangedFields[] = {{"First Name", "FIRSTNAME"},
                                                 {"Last Name", "LASTNAME"},
                                                 {"Phone Number", "SMS"},
                                                 {"Company", "COMPANY"}};

/// Writes the pair into `dir` and returns what a diff of it must find; `files` gets the paths.
/// Fails (false, with `error`) when a file cannot be written.
bool write(const QString &dir, qint64 contacts, std::uint64_t seed, DiffPairFiles &files,
           DiffExpectation &expected, QString &error);

} // namespace DiffPair
