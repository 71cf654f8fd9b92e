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
    /**
     * Opens the file to read only the lines that start in bytes [from, to) (to < 0: to the
     * end), so that parts of one backup can be read side by side: a line belongs to the part it
     * starts in. line() and the errors still count lines from the start of the file (counted
     * when first asked for, by reading the bytes before `from`).
     */
    Status openRange(qint64 from, qint64 to);
    /// The next contact; nullopt at the end. An Error names the file and line.
    Result<std::optional<SourceContact>> next();
    /// Passes over the next contact without reading it (a wave that is not its own); false at
    /// the end. A line is only parsed by next(): this costs the reading of its bytes.
    Result<bool> skip();
    /// The 1-based line of the contact next() returned last.
    qint64 line() const { return lineBase() + m_line; }

    /// The backup's fields.json.
    static Result<QList<FieldDefinition>> fields(const QString &backupFolder);

private:
    /// The lines before the range (0 for the whole file); counted when first needed.
    qint64 lineBase() const;
    bool inRange() const { return !m_file.atEnd() && (m_end < 0 || m_file.pos() < m_end); }

    QFile m_file;
    qint64 m_line = 0;        ///< lines read, from the start of the range
    qint64 m_start = 0;       ///< where the range's first line starts
    qint64 m_end = -1;        ///< lines starting here or later are not read; < 0: none
    mutable qint64 m_lineBase = 0; ///< < 0: not counted yet
    BackupLineParser m_parser;
    BackupLineParser::Parts m_parts;
};
