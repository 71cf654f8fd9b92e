#pragma once

#include "core/result.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QString>

/**
 * The row-level error report of a transfer run: every record the platform or validation rejected,
 * with the platform's code and message, as read from the transfer journal.
 */
class ErrorReport
{
    Q_DECLARE_TR_FUNCTIONS(ErrorReport)

public:
    /**
     * Writes the run's failures to `path` as CSV (RFC 4180, UTF-8 with a byte order mark, CRLF):
     * header `email,code,message,batch,time`, one row per failure in batch then email order. Rows
     * are streamed from the project file; the file appears complete or not at all (QSaveFile).
     * Cells are written by CsvWriter: one that starts with = + - @ gets a leading apostrophe so
     * that no spreadsheet runs it.
     * Returns the number of rows written.
     */
    static Result<qint64> writeCsv(const QSqlDatabase &db, qint64 runId, const QString &path);
};
