#pragma once

#include "core/result.h"
#include "integrity/valuenormalisation.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

class DiffRecordSource;

/** One compared field: a field of the source side against a field of the target side. */
struct DiffFieldPair
{
    QString name;        ///< what the summary and the CSV call it: the source's name
    QString sourceName;
    QString targetName;
    int sourceField = -1; ///< index in the source side's fields()
    int targetField = -1; ///< index in the target side's fields()
    CompareType type = CompareType::Auto;
};

/**
 * A mapping file for `stagecoach diff --map`: CSV (comma, semicolon or tab) with a header row
 * naming the columns `source`, `target` and optionally `type`, in any order. Each row maps a
 * source field (column header, or field key in a backup) to a target field; `type` is one of
 * auto, text, number, date, phone, tags, boolean (or a field type: url, birthday, address), or
 * `email` / `status` to name the email or status column of each side. Rows whose source starts
 * with '#' are comments. Only the mapped fields are compared.
 */
struct DiffMappingFile
{
    Q_DECLARE_TR_FUNCTIONS(DiffMappingFile)

public:
    struct Row
    {
        QString source;
        QString target;
        CompareType type = CompareType::Auto;
        enum class Role { Field, Email, Status } role = Role::Field;
        qint64 line = 0;
    };
    QString path;
    QList<Row> rows;

    /// Errors name "file:line".
    static Result<DiffMappingFile> load(const QString &path);
    /// The row naming the email (or status) column, or null.
    const Row *special(Row::Role role) const;
};

/**
 * Which fields an integrity diff compares. Known dialect pairs (a Mailchimp, Brevo or Klaviyo
 * export or backup against another, or the target read back) are mapped automatically by
 * FieldMapping::suggest, the same rules the transfer writes by; a generic CSV is matched by
 * column names and must match completely; anything else takes a mapping file. At most
 * kMaxFields fields are compared.
 */
struct DiffMapping
{
    Q_DECLARE_TR_FUNCTIONS(DiffMapping)

public:
    static constexpr int kMaxFields = 63;

    QList<DiffFieldPair> fields;
    /// User fields of each side that are not compared (no counterpart), for the summary.
    QStringList notComparedSource;
    QStringList notComparedTarget;

    /// Both sides opened. Errors name the header line of the side that does not match.
    static Result<DiffMapping> automatic(DiffRecordSource &source, DiffRecordSource &target);
    static Result<DiffMapping> fromFile(const DiffMappingFile &file, DiffRecordSource &source,
                                        DiffRecordSource &target);
};
