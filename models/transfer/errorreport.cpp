#include "transfer/errorreport.h"

#include "csv/csvwriter.h"

#include <QDateTime>
#include <QSaveFile>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

Result<qint64> ErrorReport::writeCsv(const QSqlDatabase &db, qint64 runId, const QString &path)
{
    const QString hint
        = tr("Choose a folder you can write to and check that the disk is not full.");
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{tr("the error report cannot be saved: %1.").arg(file.errorString()), path,
                     hint};

    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(
        u"SELECT r.email, r.code, r.message, b.seq, b.finished_at FROM transfer_records r "
        "JOIN transfer_batches b ON b.id = r.batch_id WHERE r.run_id = ? AND r.outcome = 'failed' "
        "AND r.outcome <> 'written' ORDER BY r.batch_id, r.email"_s);
    q.addBindValue(runId);
    if (!q.exec()) {
        file.cancelWriting();
        return Error{
            tr("the error report cannot be read from the project: %1.").arg(q.lastError().text()),
            path};
    }

    // The header names are the file's format, not prose: not translated.
    QString text;
    CsvWriter::appendRecord(text, {u"email"_s, u"code"_s, u"message"_s, u"batch"_s, u"time"_s});
    QByteArray chunk = QByteArray(CsvWriter::kUtf8Bom) + text.toUtf8();
    qint64 rows = 0;
    const auto flush = [&] {
        const bool ok = file.write(chunk) == chunk.size();
        chunk.clear();
        return ok;
    };
    while (q.next()) {
        text.clear();
        CsvWriter::appendRecord(text, {q.value(0).toString(), q.value(1).toString(),
                                       q.value(2).toString(), QString::number(q.value(3).toInt()),
                                       q.value(4).toString()});
        chunk.append(text.toUtf8());
        ++rows;
        if (chunk.size() >= (1 << 16) && !flush()) {
            const QString why = file.errorString();
            file.cancelWriting();
            return Error{tr("the error report cannot be saved: %1.").arg(why), path, hint};
        }
    }
    if (q.lastError().isValid()) {
        file.cancelWriting();
        return Error{
            tr("the error report cannot be read from the project: %1.").arg(q.lastError().text()),
            path};
    }
    if (!flush()) {
        const QString why = file.errorString();
        file.cancelWriting();
        return Error{tr("the error report cannot be saved: %1.").arg(why), path, hint};
    }
    if (!file.commit())
        return Error{tr("the error report cannot be saved: %1.").arg(file.errorString()), path,
                     hint};
    return rows;
}
