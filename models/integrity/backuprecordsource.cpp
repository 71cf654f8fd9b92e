#include "integrity/backuprecordsource.h"

#include "transfer/backupcontactstream.h"
#include "transfer/backupformat.h"
#include "transfer/backuplineparser.h"
#include "transfer/backupmanifest.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

const QString kTagsField = u"tags"_s;

// Tags as Mailchimp's export writes them ("a","b"), so that a tag holding a comma stays one.
QByteArray tagList(const QStringList &tags)
{
    QByteArray out;
    for (const QString &t : tags) {
        if (!out.isEmpty())
            out += ',';
        out += '"' + t.toUtf8().replace('"', "") + '"';
    }
    return out;
}

} // namespace

BackupRecordSource::BackupRecordSource(QString folder)
    : m_folder(std::move(folder)), m_contactsPath(QDir(m_folder).filePath(BackupFormat::kContacts))
{
}

bool BackupRecordSource::isBackupFolder(const QString &path)
{
    return QFileInfo(path).isDir() && QFileInfo::exists(QDir(path).filePath(BackupFormat::kContacts));
}

Status BackupRecordSource::open()
{
    Result<BackupManifest> manifest = BackupManifest::load(m_folder);
    if (!manifest)
        return Error(tr("not a finished backup: %1").arg(manifest.error().message),
                     where(QDir(m_folder).filePath(BackupManifest::kFileName), 0),
                     tr("Compare against a backup the Backup stage completed."));
    m_platform = TargetPlatforms::fromKey(manifest->platform);
    Result<QList<FieldDefinition>> defs = BackupContactStream::fields(m_folder);
    if (!defs)
        return Error(defs.error().message, where(QDir(m_folder).filePath(BackupFormat::kFields), 0), defs.error().hint);
    m_fields.clear();
    for (const FieldDefinition &d : std::as_const(defs.value()))
        m_fields.append(DiffSourceField{d.key, d.label.isEmpty() ? d.key : d.label, d.type, false, true});
    m_fields.append(DiffSourceField{kTagsField, kTagsField, FieldType::Tags, true, false});
    if (!QFileInfo(m_contactsPath).isReadable())
        return Error(tr("the backup's contacts cannot be read."), where(m_contactsPath, 0),
                     tr("Run the Backup stage again."));
    return Status::success();
}

namespace {

// One contact's line parsed; the values of `columns` go into `buffers` (UTF-8).
Result<SourceContact> parseLine(BackupLineParser &parser, QByteArrayView bytes, const QString &file,
                                qint64 line)
{
    if (std::optional<Result<SourceContact>> fast = parser.contact(bytes)) {
        if (!*fast)
            return Error(fast->error().message, DiffRecordSource::where(file, line),
                         DiffRecordSource::tr("Run the Backup stage again."));
        return std::move(*fast);
    }
    // Not a line simdjson takes: QJsonDocument reads it and says what is wrong with it.
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes.toByteArray(), &parseError);
    if (!doc.isObject())
        return Error(DiffRecordSource::tr("a line that is not a contact (%1).").arg(parseError.errorString()),
                     DiffRecordSource::where(file, line), DiffRecordSource::tr("Run the Backup stage again."));
    Result<SourceContact> c = BackupFormat::contactFromJson(doc.object());
    if (!c)
        return Error(c.error().message, DiffRecordSource::where(file, line), DiffRecordSource::tr("Run the Backup stage again."));
    return c;
}

} // namespace

Status BackupRecordSource::scan(const QList<int> &columns, const Visitor &visit, const std::atomic_bool *cancel)
{
    QFile file(m_contactsPath);
    if (!file.open(QIODevice::ReadOnly))
        return Error(file.errorString(), where(m_contactsPath, 0));
    BackupLineParser parser;
    std::vector<QByteArray> buffers(size_t(columns.size()));
    std::vector<QByteArrayView> views(size_t(columns.size()));
    qint64 line = 0;
    while (!file.atEnd()) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            return Status::success();
        const qint64 offset = file.pos();
        const QByteArray bytes = file.readLine();
        ++line;
        if (QByteArrayView(bytes).trimmed().isEmpty())
            continue;
        Result<SourceContact> c = parseLine(parser, bytes, m_contactsPath, line);
        if (!c)
            return c.error();
        for (qsizetype i = 0; i < columns.size(); ++i) {
            const DiffSourceField &f = m_fields[columns[i]];
            buffers[size_t(i)] = f.tags ? tagList(c->tags) : c->fields.value(f.name).toUtf8();
            views[size_t(i)] = buffers[size_t(i)];
        }
        const QByteArray email = c->email.toUtf8();
        DiffRecord r;
        r.email = email;
        r.status = c->status;
        r.values = std::span<const QByteArrayView>(views);
        r.locator = quint64(offset);
        r.line = line;
        if (!visit(r))
            return Status::success();
    }
    if (file.error() != QFileDevice::NoError)
        return Error(file.errorString(), where(m_contactsPath, line));
    return Status::success();
}

Result<DiffRecordCopy> BackupRecordSource::readAt(quint64 locator, const QList<int> &columns)
{
    QMutexLocker lock(&m_readMutex);
    QFile file(m_contactsPath);
    if (!file.open(QIODevice::ReadOnly) || !file.seek(qint64(locator)))
        return Error(file.errorString(), where(m_contactsPath, 0));
    const QByteArray bytes = file.readLine();
    BackupLineParser parser;
    Result<SourceContact> c = parseLine(parser, bytes, m_contactsPath, 0);
    if (!c)
        return c.error();
    DiffRecordCopy copy;
    copy.email = c->email;
    copy.status = c->status;
    for (const int col : columns) {
        const DiffSourceField &f = m_fields[col];
        copy.values.append(f.tags ? QString::fromUtf8(tagList(c->tags)) : c->fields.value(f.name));
    }
    copy.where = m_contactsPath;
    return copy;
}
