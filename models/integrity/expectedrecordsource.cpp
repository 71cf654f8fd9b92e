#include "integrity/expectedrecordsource.h"

#include "connectors/consentmapping.h"

#include <vector>

ExpectedRecordSource::ExpectedRecordSource(std::shared_ptr<DiffRecordSource> inner,
                                           TargetPlatform target)
    : m_inner(std::move(inner))
    , m_target(target)
{}

void ExpectedRecordSource::expect(int field, FieldType type, const CoercionOptions &options)
{
    m_expect.insert(field, Expectation{type, options});
}

bool ExpectedRecordSource::dropsTags(ContactStatus status) const
{
    // BrevoConnector tags only the contacts its import wrote; suppressions keep theirs in the
    // backup only (FieldMapping's note on Brevo tags).
    return m_target == TargetPlatform::Brevo
           && ConsentMapping::level(status) == ConsentLevel::Suppressed;
}

Status ExpectedRecordSource::open()
{
    if (Status s = m_inner->open(); !s)
        return s;
    const QList<DiffSourceField> f = m_inner->fields();
    m_tagsField = -1;
    for (int i = 0; i < f.size() && m_tagsField < 0; ++i) {
        if (f[i].tags)
            m_tagsField = i;
    }
    return Status::success();
}

QString ExpectedRecordSource::expected(int column, const QString &raw, ContactStatus status) const
{
    if (column == m_tagsField && dropsTags(status))
        return QString();
    const auto it = m_expect.constFind(column);
    if (it == m_expect.cend() || raw.trimmed().isEmpty())
        return raw;
    const Result<Coerced> c = ValueCoercion::coerce(raw, it->type, it->options);
    return c ? c->value : raw;
}

Status ExpectedRecordSource::scan(const QList<int> &columns, const Visitor &visit,
                                  const std::atomic_bool *cancel)
{
    bool touches = false;
    for (const int c : columns)
        touches = touches || m_expect.contains(c) || c == m_tagsField;
    if (!touches)
        return m_inner->scan(columns, visit, cancel);
    std::vector<QByteArray> buffers(size_t(columns.size()));
    std::vector<QByteArrayView> values(size_t(columns.size()));
    return m_inner->scan(
        columns,
        [&](const DiffRecord &record) {
            if (record.values.empty())
                return visit(record);
            for (qsizetype i = 0; i < columns.size(); ++i) {
                const int c = columns[i];
                const QByteArrayView raw = record.values[size_t(i)];
                if (c == m_tagsField ? !dropsTags(record.status) : !m_expect.contains(c)) {
                    values[size_t(i)] = raw;
                    continue;
                }
                buffers[size_t(i)] = expected(c, QString::fromUtf8(raw), record.status).toUtf8();
                values[size_t(i)] = buffers[size_t(i)];
            }
            DiffRecord copy = record;
            copy.values = std::span<const QByteArrayView>(values.data(), values.size());
            return visit(copy);
        },
        cancel);
}

Result<DiffRecordCopy> ExpectedRecordSource::readAt(quint64 locator, const QList<int> &columns)
{
    Result<DiffRecordCopy> copy = m_inner->readAt(locator, columns);
    if (!copy)
        return copy;
    for (qsizetype i = 0; i < columns.size() && i < copy->values.size(); ++i)
        copy->values[i] = expected(columns[i], copy->values[i], copy->status);
    return copy;
}
