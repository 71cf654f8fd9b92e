// BackupReader::exportCsv: a backup part back out as CSV.

#include "transfer/backupreader.h"

#include "csv/csvwriter.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>

#include <functional>

using namespace Qt::StringLiterals;

namespace {

void appendRecord(QByteArray &out, const QStringList &cells)
{
    QString record;
    CsvWriter::appendRecord(record, cells);
    out += record.toUtf8();
}

QString text(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::String:
        return v.toString();
    case QJsonValue::Bool:
        return v.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double: {
        const double d = v.toDouble();
        return d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d, 'g', 17);
    }
    case QJsonValue::Array: {
        // Tags as Mailchimp's export writes them: "a","b".
        QStringList quoted;
        for (const QJsonValue &e : v.toArray())
            quoted.append(u'"' + e.toString().remove(u'"') + u'"');
        return quoted.join(u',');
    }
    default:
        return {};
    }
}

/// A column: its header and where its value is in a record ("consent/optinTime").
struct Column
{
    QString header;
    QStringList path;
};

QJsonValue valueAt(const QJsonObject &record, const QStringList &path)
{
    QJsonValue v = record;
    for (const QString &key : path)
        v = v.toObject().value(key);
    return v;
}

QList<Column> plainColumns(const QStringList &keys)
{
    QList<Column> columns;
    for (const QString &k : keys)
        columns.append({k, {k}});
    return columns;
}

class Export
{
    Q_DECLARE_TR_FUNCTIONS(BackupReader)

public:
    Export(const QString &folder, const BackupFileEntry &entry)
        : m_dir(folder)
        , m_entry(entry)
    {}

    /// Reads the part line by line; stops at the first Error.
    Status eachRecord(const std::function<Status(const QJsonObject &)> &onRecord,
                      QCryptographicHash *hash = nullptr)
    {
        QFile file(m_dir.filePath(m_entry.name));
        if (!file.open(QIODevice::ReadOnly)) {
            return Error(
                tr("The backup file is missing or unreadable (%1).").arg(file.errorString()),
                m_entry.name, tr("The backup is damaged; make a new backup."));
        }
        qint64 number = 0;
        while (!file.atEnd()) {
            const QByteArray line = file.readLine();
            if (hash)
                hash->addData(line);
            ++number;
            const QJsonDocument doc = QJsonDocument::fromJson(line);
            if (!doc.isObject() || !line.endsWith('\n')) {
                return Error(tr("The line is not a complete JSON object."),
                             tr("%1 line %2").arg(m_entry.name).arg(number),
                             tr("The backup is damaged; make a new backup."));
            }
            if (Status s = onRecord(doc.object()); !s)
                return s;
        }
        return Status::success();
    }

    QDir m_dir;
    BackupFileEntry m_entry;
};

} // namespace

Result<qint64> BackupReader::exportCsv(const QString &folder, BackupPart part,
                                       const QString &csvPath)
{
    auto manifest = BackupManifest::load(folder);
    if (!manifest)
        return manifest.error();
    const QString name = BackupFormat::fileName(part);
    const BackupFileEntry *entry = manifest->file(name);
    if (!entry) {
        return Error(tr("The backup holds no %1: the source did not offer them.").arg(name), folder,
                     tr("Choose another part."));
    }
    Export in(folder, *entry);

    QList<Column> columns;
    if (part == BackupPart::Contacts) {
        columns = plainColumns({u"email"_s, u"id"_s, u"status"_s, u"platformStatus"_s});
        // One column per field: the definitions' order, then any key only contacts have (a first
        // pass over the file, so that memory still holds one line).
        QStringList keys;
        if (const BackupFileEntry *fields = manifest->file(BackupFormat::kFields)) {
            QFile file(QDir(folder).filePath(fields->name));
            if (file.open(QIODevice::ReadOnly)) {
                for (const QJsonValue &f : QJsonDocument::fromJson(file.readAll()).array())
                    keys.append(f.toObject().value(u"key"_s).toString());
            }
        }
        QSet<QString> known(keys.begin(), keys.end());
        QStringList extra;
        Status scanned = in.eachRecord([&](const QJsonObject &r) {
            const QJsonObject fields = r.value(u"fields"_s).toObject();
            for (auto it = fields.begin(); it != fields.end(); ++it) {
                if (!known.contains(it.key())) {
                    known.insert(it.key());
                    extra.append(it.key());
                }
            }
            return Status::success();
        });
        if (!scanned)
            return scanned.error();
        extra.sort();
        for (const QString &k : std::as_const(keys) + extra)
            columns.append({k, {u"fields"_s, k}});
        columns.append({u"tags"_s, {u"tags"_s}});
        for (const QString &k : {u"optinTime"_s, u"optinIp"_s, u"confirmTime"_s, u"confirmIp"_s,
                                 u"suppressionTime"_s, u"suppressionReason"_s})
            columns.append({k, {u"consent"_s, k}});
        columns.append({u"language"_s, {u"language"_s}});
        for (const QString &k :
             {u"countryCode"_s, u"region"_s, u"timezone"_s, u"latitude"_s, u"longitude"_s})
            columns.append({k, {u"location"_s, k}});
        columns += plainColumns({u"rating"_s, u"lastChanged"_s});
    } else if (part == BackupPart::Templates) {
        columns = plainColumns({u"id"_s, u"name"_s, u"kind"_s, u"created"_s, u"modified"_s,
                                u"active"_s, u"subject"_s, u"html"_s});
    } else {
        columns = plainColumns({u"id"_s, u"name"_s, u"subject"_s, u"status"_s, u"sentAt"_s,
                                u"recipients"_s, u"hasReport"_s, u"uniqueOpens"_s,
                                u"uniqueClicks"_s, u"hardBounces"_s, u"softBounces"_s,
                                u"unsubscribes"_s, u"complaints"_s});
    }

    QSaveFile out(csvPath);
    const auto writeError = [&out] {
        return Error(tr("The CSV file could not be written (%1).").arg(out.errorString()),
                     out.fileName(),
                     tr("Check that the disk has room and the folder is writable."));
    };
    if (!out.open(QIODevice::WriteOnly))
        return writeError();
    QByteArray buffer("\xEF\xBB\xBF");
    QStringList cells;
    for (const Column &c : std::as_const(columns))
        cells.append(c.header);
    appendRecord(buffer, cells);
    qint64 rows = 0;
    QCryptographicHash hash(QCryptographicHash::Sha256);
    Status written = in.eachRecord(
        [&](const QJsonObject &r) -> Status {
            cells.clear();
            for (const Column &c : std::as_const(columns))
                cells.append(text(valueAt(r, c.path)));
            appendRecord(buffer, cells);
            ++rows;
            if (buffer.size() >= (1 << 16)) {
                if (out.write(buffer) != buffer.size())
                    return writeError();
                buffer.clear();
            }
            return Status::success();
        },
        &hash);
    if (!written) {
        out.cancelWriting();
        return written.error();
    }
    // Only what still matches the manifest is restored.
    if (QString::fromLatin1(hash.result().toHex()) != entry->sha256 || rows != entry->records) {
        out.cancelWriting();
        return Error(tr("The backup file does not match its manifest."), name,
                     tr("The backup is damaged; make a new backup."));
    }
    if (out.write(buffer) != buffer.size() || !out.commit())
        return writeError();
    return rows;
}
