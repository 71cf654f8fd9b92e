#include "transfer/errorreport.h"

#include <QDateTime>
#include <QSaveFile>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

QString ErrorReport::csvField(const QString &value)
{
    // A cell that starts like a formula would be run by the spreadsheet that opens the file (CSV
    // injection): a leading apostrophe makes it text.
    QString text = value;
    if (!text.isEmpty() && QStringView(u"=+-@").contains(text.front()))
        text.prepend(u'\'');
    // Quoted where RFC 4180 demands it, and around `;`, tabs and leading or trailing blanks, which
    // other readers take as delimiters or trim.
    const bool quote = text.contains(u',') || text.contains(u'"') || text.contains(u'\n')
                       || text.contains(u'\r') || text.contains(u';') || text.contains(u'\t')
                       || text.startsWith(u' ') || text.endsWith(u' ');
    if (!quote)
        return text;
    text.replace(u'"', u"\"\""_s);
    return u'"' + text + u'"';
}

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
        "ORDER BY r.batch_id, r.email"_s);
    q.addBindValue(runId);
    if (!q.exec()) {
        file.cancelWriting();
        return Error{
            tr("the error report cannot be read from the project: %1.").arg(q.lastError().text()),
            path};
    }

    // The header names are the file's format, not prose: not translated.
    QByteArray chunk = QByteArrayLiteral("\xEF\xBB\xBF")
                       + QByteArrayLiteral("email,code,message,batch,time\r\n");
    qint64 rows = 0;
    const auto flush = [&] {
        const bool ok = file.write(chunk) == chunk.size();
        chunk.clear();
        return ok;
    };
    while (q.next()) {
        const QString line
            = csvField(q.value(0).toString()) + u',' + csvField(q.value(1).toString()) + u','
              + csvField(q.value(2).toString()) + u',' + QString::number(q.value(3).toInt()) + u','
              + csvField(q.value(4).toString()) + u"\r\n"_s;
        chunk.append(line.toUtf8());
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
