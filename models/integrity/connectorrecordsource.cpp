#include "integrity/connectorrecordsource.h"

#include "connectors/await.h"
#include "connectors/connector.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

const QString kTagsField = u"tags"_s;

QByteArray tagList(const QJsonArray &tags)
{
    QByteArray out;
    for (const QJsonValue &t : tags) {
        if (!out.isEmpty())
            out += ',';
        out += '"' + t.toString().toUtf8().replace('"', "") + '"';
    }
    return out;
}

} // namespace

ConnectorRecordSource::ConnectorRecordSource(TargetConnector &connector, QString listId, int pageSize)
    : m_connector(connector), m_listId(std::move(listId)), m_pageSize(pageSize),
      m_spool(QDir(QDir::tempPath()).filePath(u"stagecoach-diff-XXXXXX.jsonl"_s))
{
    m_fields.append(DiffSourceField{kTagsField, kTagsField, FieldType::Tags, true, false});
}

QString ConnectorRecordSource::displayName() const
{
    return tr("%1 (read back)").arg(TargetPlatforms::displayName(m_connector.platform()));
}

std::optional<TargetPlatform> ConnectorRecordSource::platform() const
{
    return m_connector.platform();
}

Status ConnectorRecordSource::open()
{
    if (!m_spool.isOpen() && !m_spool.open())
        return Error(tr("no temporary file for the read-back (%1).").arg(m_spool.errorString()), m_spool.fileName());
    return Status::success();
}

int ConnectorRecordSource::addField(const QString &name)
{
    if (const int i = fieldIndex(name); i >= 0)
        return i;
    m_fields.append(DiffSourceField{name, name, std::nullopt, false, true});
    return int(m_fields.size()) - 1;
}

Status ConnectorRecordSource::readListing(const std::atomic_bool *cancel)
{
    // Spool every field the platform gave, whatever the mapping asks for now: readAt() may ask
    // for others later.
    ContactQuery query;
    query.pageSize = m_pageSize;
    qint64 listed = 0;
    for (;;) {
        if (cancel && cancel->load())
            return Status::success();
        // A worker thread: the connector answers on the network thread; Cancel is seen while a
        // page is on its way.
        auto answer = ConnectorAwait::await(m_connector.readContacts(m_listId, query),
                                            [cancel] { return cancel && cancel->load(); });
        if (std::holds_alternative<AwaitCancelled>(answer))
            return Status::success();
        if (const Error *e = std::get_if<Error>(&answer))
            return Error(e->message, displayName() + u" "_s + tr("after %1 contacts").arg(listed), e->hint);
        const TargetContactPage page = std::get<TargetContactPage>(std::move(answer));
        for (const TargetContactRecord &r : page.contacts) {
            QJsonObject fields;
            for (auto it = r.fields.cbegin(); it != r.fields.cend(); ++it)
                fields.insert(it.key(), it.value());
            const QJsonObject line{{u"e"_s, r.email},
                                   {u"s"_s, ContactStatuses::key(ConsentMapping::statusOnTarget(r.state))},
                                   {u"f"_s, fields},
                                   {u"t"_s, QJsonArray::fromStringList(r.tags)}};
            QByteArray bytes = QJsonDocument(line).toJson(QJsonDocument::Compact);
            bytes += '\n';
            if (m_spool.write(bytes) != bytes.size())
                return Error(tr("the read-back could not be written to a temporary file (%1).").arg(m_spool.errorString()),
                             m_spool.fileName());
            ++listed;
        }
        if (page.next.isEmpty())
            break;
        query.cursor = page.next;
    }
    if (!m_spool.flush())
        return Error(m_spool.errorString(), m_spool.fileName());
    m_spooled = true;
    return Status::success();
}

Status ConnectorRecordSource::scan(const QList<int> &columns, const Visitor &visit, const std::atomic_bool *cancel)
{
    if (!m_spooled) {
        if (const Status s = open(); !s)
            return s;
        if (const Status s = readListing(cancel); !s || !m_spooled)
            return s;
    }
    QFile file(m_spool.fileName());
    if (!file.open(QIODevice::ReadOnly))
        return Error(file.errorString(), m_spool.fileName());
    std::vector<QByteArray> buffers(size_t(columns.size()));
    std::vector<QByteArrayView> views(size_t(columns.size()));
    qint64 n = 0;
    while (!file.atEnd()) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            return Status::success();
        const qint64 offset = file.pos();
        const QJsonObject o = QJsonDocument::fromJson(file.readLine()).object();
        ++n;
        const QJsonObject fields = o.value(u"f"_s).toObject();
        for (qsizetype i = 0; i < columns.size(); ++i) {
            const DiffSourceField &f = m_fields[columns[i]];
            buffers[size_t(i)] = f.tags ? tagList(o.value(u"t"_s).toArray()) : fields.value(f.name).toString().toUtf8();
            views[size_t(i)] = buffers[size_t(i)];
        }
        const QByteArray email = o.value(u"e"_s).toString().toUtf8();
        DiffRecord r;
        r.email = email;
        r.status = ContactStatuses::fromKey(o.value(u"s"_s).toString()).value_or(ContactStatus::Unknown);
        r.values = std::span<const QByteArrayView>(views);
        r.locator = quint64(offset);
        r.line = n;
        if (!visit(r))
            break;
    }
    return Status::success();
}

Result<DiffRecordCopy> ConnectorRecordSource::readAt(quint64 locator, const QList<int> &columns)
{
    QMutexLocker lock(&m_readMutex);
    QFile file(m_spool.fileName());
    if (!file.open(QIODevice::ReadOnly) || !file.seek(qint64(locator)))
        return Error(file.errorString(), displayName());
    const QJsonObject o = QJsonDocument::fromJson(file.readLine()).object();
    const QJsonObject fields = o.value(u"f"_s).toObject();
    DiffRecordCopy copy;
    copy.email = o.value(u"e"_s).toString();
    copy.status = ContactStatuses::fromKey(o.value(u"s"_s).toString()).value_or(ContactStatus::Unknown);
    for (const int col : columns) {
        const DiffSourceField &f = m_fields[col];
        copy.values.append(f.tags ? QString::fromUtf8(tagList(o.value(u"t"_s).toArray())) : fields.value(f.name).toString());
    }
    copy.where = displayName();
    return copy;
}
