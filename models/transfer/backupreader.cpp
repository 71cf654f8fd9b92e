#include "transfer/backupreader.h"

#include "core/sha256.h"
#include "transfer/backuplineparser.h"
#include "transfer/backupwriter.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

class Verifier
{
    Q_DECLARE_TR_FUNCTIONS(BackupReader)

public:
    explicit Verifier(const QString &folder)
        : m_dir(folder)
    {}

    /// Checks one file against its entry; counts statuses when it is contacts.jsonl.
    Status check(const BackupFileEntry &entry, QHash<ContactStatus, qint64> *statuses);

private:
    Error differs(const QString &name, const QString &what) const
    {
        return Error(tr("The backup file does not match its manifest: %1.").arg(what), name,
                     tr("The backup is damaged; make a new backup."));
    }
    Status line(const QString &name, qint64 number, QByteArrayView bytes,
                QHash<ContactStatus, qint64> *statuses);

    QDir m_dir;
    BackupLineParser m_parser;
};

Status Verifier::line(const QString &name, qint64 number, QByteArrayView bytes,
                      QHash<ContactStatus, qint64> *statuses)
{
    const auto where = [&] { return tr("%1 line %2").arg(name).arg(number); };
    if (const std::optional<QByteArrayView> key = m_parser.statusKey(bytes)) {
        if (!statuses)
            return Status::success();
        const auto status = ContactStatuses::fromKey(QString::fromUtf8(*key));
        if (!status) {
            return Error(tr("The contact has the unknown status \"%1\".").arg(QString::fromUtf8(*key)),
                         where(), tr("The backup is damaged; make a new backup."));
        }
        ++(*statuses)[*status];
        return Status::success();
    }
    // Not a line simdjson takes: QJsonDocument reads it and says what is wrong with it.
    QJsonParseError parseError;
    // The bytes stay where they are (fromJson only reads them); the place is only written out
    // for an error.
    const QJsonDocument doc = QJsonDocument::fromJson(
        QByteArray::fromRawData(bytes.constData(), bytes.size()), &parseError);
    if (!doc.isObject()) {
        return Error(tr("The line is not a JSON object (%1).")
                         .arg(parseError.error == QJsonParseError::NoError
                                  ? tr("not an object")
                                  : parseError.errorString()),
                     where(), tr("The backup is damaged; make a new backup."));
    }
    if (statuses) {
        const QString key = doc.object().value(u"status"_s).toString();
        const auto status = ContactStatuses::fromKey(key);
        if (!status) {
            return Error(tr("The contact has the unknown status \"%1\".").arg(key), where(),
                         tr("The backup is damaged; make a new backup."));
        }
        ++(*statuses)[*status];
    }
    return Status::success();
}

Status Verifier::check(const BackupFileEntry &entry, QHash<ContactStatus, qint64> *statuses)
{
    QFile file(m_dir.filePath(entry.name));
    if (!file.open(QIODevice::ReadOnly)) {
        return Error(tr("The backup file is missing or unreadable (%1).").arg(file.errorString()),
                     entry.name, tr("The backup is damaged; make a new backup."));
    }
    const bool jsonLines = entry.name.endsWith(u".jsonl");
    Sha256 hash;
    qint64 bytes = 0, records = 0;
    QByteArray carry; // the unfinished line of a .jsonl file; the whole of a .json file
    while (!file.atEnd()) {
        const QByteArray chunk = file.read(1 << 20);
        if (chunk.isEmpty() && file.error() != QFileDevice::NoError)
            return differs(entry.name, file.errorString());
        hash.addData(chunk);
        bytes += chunk.size();
        if (!jsonLines) {
            carry += chunk;
            continue;
        }
        qsizetype from = 0;
        for (qsizetype nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', from)) {
            const QByteArrayView rest(chunk.constData() + from, nl - from);
            ++records;
            Status s = carry.isEmpty()
                           ? line(entry.name, records, rest, statuses)
                           : line(entry.name, records, carry + rest.toByteArray(), statuses);
            carry.clear();
            if (!s)
                return s;
            from = nl + 1;
        }
        carry += chunk.mid(from);
    }
    if (jsonLines && !carry.isEmpty()) {
        // Every line the writer writes ends with a line break: this one was cut off.
        ++records;
        if (Status s = line(entry.name, records, carry, statuses); !s)
            return s;
        return Error(tr("The last line is incomplete."),
                     tr("%1 line %2").arg(entry.name).arg(records),
                     tr("The backup is damaged; make a new backup."));
    }
    if (!jsonLines) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(carry, &parseError);
        if (!doc.isArray()) {
            return Error(tr("The file is not a JSON array (%1).").arg(parseError.errorString()),
                         entry.name, tr("The backup is damaged; make a new backup."));
        }
        records = doc.array().size();
    }
    if (bytes != entry.bytes)
        return differs(entry.name,
                       tr("%1 bytes, the manifest says %2").arg(bytes).arg(entry.bytes));
    const QString sha = hash.hexResult();
    if (sha != entry.sha256.toLower())
        return differs(entry.name,
                       tr("its SHA-256 is %1, the manifest says %2").arg(sha, entry.sha256));
    if (records != entry.records) {
        return differs(entry.name,
                       tr("%1 records, the manifest says %2").arg(records).arg(entry.records));
    }
    return Status::success();
}

} // namespace

Result<BackupManifest> BackupReader::verify(const QString &folder)
{
    auto manifest = BackupManifest::load(folder);
    if (!manifest)
        return manifest;
    const BackupManifest &m = manifest.value();
    if (!m.file(BackupFormat::kContacts)) {
        return Error(tr("The backup manifest lists no contacts file."),
                     QDir(folder).filePath(BackupManifest::kFileName), tr("Make a new backup."));
    }
    Verifier verifier(folder);
    for (const BackupFileEntry &entry : m.files) {
        QHash<ContactStatus, qint64> statuses;
        const bool contacts = entry.name == BackupFormat::kContacts;
        if (Status s = verifier.check(entry, contacts ? &statuses : nullptr); !s)
            return s.error();
        if (!contacts)
            continue;
        for (ContactStatus status : kAllContactStatuses) {
            const qint64 found = statuses.value(status), listed = m.contactsByStatus.value(status);
            if (found != listed) {
                return Error(tr("The backup file does not match its manifest: %1 %2 contacts, the "
                                "manifest says %3.")
                                 .arg(found)
                                 .arg(ContactStatuses::key(status))
                                 .arg(listed),
                             entry.name, tr("The backup is damaged; make a new backup."));
            }
        }
    }
    return manifest;
}

Result<BackupManifest> BackupReader::latestVerified(const QString &projectPath)
{
    const QDir archive(BackupWriter::archiveFolder(projectPath));
    QStringList names = archive.entryList({u"backup-*"_s}, QDir::Dirs | QDir::NoDotAndDotDot);
    // "backup-yyyyMMdd-HHmmss" then an optional "-N" for a second backup in the same second.
    constexpr qsizetype kStamp = 22;
    std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) {
        const QString sa = a.left(kStamp), sb = b.left(kStamp);
        if (sa != sb)
            return sa > sb;
        return a.mid(kStamp + 1).toInt() > b.mid(kStamp + 1).toInt();
    });
    std::optional<Error> newestFailure;
    for (const QString &name : std::as_const(names)) {
        auto verified = verify(archive.filePath(name));
        if (verified)
            return verified;
        if (!newestFailure)
            newestFailure = verified.error();
    }
    return Error(
        tr("The project has no verified backup."), archive.path(),
        newestFailure
            ? tr("The newest backup failed: %1 Make a new backup.").arg(newestFailure->summary())
            : tr("Make a backup first."));
}
