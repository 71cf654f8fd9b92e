#pragma once

#include "connectors/connector.h"
#include "contacts/contactstatus.h"
#include "core/result.h"

#include <QByteArrayView>

#include <memory>
#include <optional>

/**
 * Reads the lines of a backup's contacts.jsonl fast: simdjson (a validating parser, about ten
 * times QJsonDocument's speed on these lines) and dates in the backup's own form read by hand.
 * Every stage that writes contacts reads the whole backup at least twice (verification, the wave
 * assignment) and each wave reads its own lines again, so this is on the path of every contact.
 *
 * It gives exactly what BackupFormat::contactFromJson gives after QJsonDocument::fromJson for the
 * same line (the same values, the last of duplicate keys, text only from strings, the rating only
 * from an integral number), and the same errors for a line that is a JSON object. For a line that
 * simdjson does not take (not JSON, not an object, invalid UTF-8, a number out of its range) it
 * answers nullopt: the caller reads that line with QJsonDocument as before, which accepts or
 * refuses it with its own words. So nothing a reader says about a bad line changes.
 *
 * One parser per reading thread (it keeps its buffers between lines).
 */
class BackupLineParser
{
public:
    BackupLineParser();
    ~BackupLineParser();
    BackupLineParser(const BackupLineParser &) = delete;
    BackupLineParser &operator=(const BackupLineParser &) = delete;

    /// What of a contact to read.
    enum class Parts {
        All,
        /// Without its custom fields and tags (left empty): what the wave assignment needs,
        /// which reads every contact of the backup.
        NoFieldsOrTags,
    };

    /// The contact of one line; nullopt when simdjson does not take the line (see above).
    std::optional<Result<SourceContact>> contact(QByteArrayView line, Parts parts = Parts::All);

    /// What verification needs of a line: a JSON object and its status key (the last "status";
    /// empty when absent or not a string). nullopt when simdjson does not take the line.
    std::optional<QByteArrayView> statusKey(QByteArrayView line);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};
