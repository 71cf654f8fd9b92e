#pragma once

#include "connectors/connector.h"
#include "core/result.h"
#include "transfer/backuplineparser.h"

#include <QCoreApplication>
#include <QFile>
#include <QList>
#include <QString>

#include <optional>

/**
 * Reads a backup's contacts.jsonl one contact at a time: what the transfer stages write from, so
 * that every wave works from the same verified snapshot of the source. Memory holds one line.
 */
class BackupContactStream
{
    Q_DECLARE_TR_FUNCTIONS(BackupContactStream)

public:
    /// `parts`: what next() reads of each contact (a line that only QJsonDocument takes is read
    /// whole).
    explicit BackupContactStream(const QString &backupFolder,
                                 BackupLineParser::Parts parts = BackupLineParser::Parts::All);

    Status open();
    /// The next contact; nullopt at the end. An Error names the file and line.
    Result<std::optional<SourceContact>> next();
    /// Passes over the next contact without reading it (a wave that is not its own); false at
    /// the end. A line is only parsed by next(): this costs the reading of its bytes.
    Result<bool> skip();
    /// The 1-based line of the contact next() returned last.
    qint64 line() const { return m_line; }

    /// The backup's fields.json.
    static Result<QList<FieldDefinition>> fields(const QString &backupFolder);

private:
    QFile m_file;
    qint64 m_line = 0;
    BackupLineParser m_parser;
    BackupLineParser::Parts m_parts;
};
