#include "integrity/diffmodel.h"

using namespace Qt::StringLiterals;

namespace {

// ASCII case-insensitive search of a lower-cased needle.
bool containsFolded(QByteArrayView hay, QByteArrayView needle)
{
    if (needle.isEmpty())
        return true;
    const qsizetype n = needle.size();
    for (qsizetype i = 0; i + n <= hay.size(); ++i) {
        qsizetype k = 0;
        while (k < n) {
            char c = hay[i + k];
            if (c >= 'A' && c <= 'Z')
                c = char(c + 32);
            if (c != needle[k])
                break;
            ++k;
        }
        if (k == n)
            return true;
    }
    return false;
}

QString statusText(const DiffRow &r, bool source)
{
    const bool present = (source ? r.sourceLocator : r.targetLocator) != DiffRow::kNone;
    return present ? ContactStatuses::displayName(ContactStatus(source ? r.sourceStatus : r.targetStatus)) : QString();
}

} // namespace

DiffModel::DiffModel(QObject *parent) : QAbstractTableModel(parent) {}

void DiffModel::setResult(std::shared_ptr<const DiffResult> result)
{
    beginResetModel();
    m_result = std::move(result);
    m_visible.clear();
    if (filtered())
        refilter();
    endResetModel();
}

void DiffModel::setKindFilter(const QList<DiffKind> &kinds)
{
    quint32 bits = 0;
    for (const DiffKind k : kinds)
        bits |= 1u << int(k);
    if (bits == m_kinds)
        return;
    beginResetModel();
    m_kinds = bits;
    refilter();
    endResetModel();
}

void DiffModel::setFieldFilter(int field)
{
    if (field == m_field)
        return;
    beginResetModel();
    m_field = field;
    refilter();
    endResetModel();
}

void DiffModel::setTextFilter(const QString &text)
{
    const QByteArray folded = text.trimmed().toLower().toUtf8();
    if (folded == m_text)
        return;
    beginResetModel();
    m_text = folded;
    refilter();
    endResetModel();
}

bool DiffModel::filtered() const
{
    return m_kinds != 0 || m_field >= 0 || !m_text.isEmpty();
}

void DiffModel::refilter()
{
    m_visible.clear();
    if (!m_result || !filtered())
        return;
    const quint64 fieldBit = m_field >= 0 ? quint64(1) << m_field : 0;
    for (qsizetype i = 0; i < m_result->rowCount(); ++i) {
        const DiffRow &r = m_result->row(i);
        if (m_kinds && !(m_kinds & (1u << int(r.kind))))
            continue;
        if (fieldBit && !(r.fieldMask & fieldBit))
            continue;
        if (!m_text.isEmpty() && !containsFolded(m_result->email(i), m_text))
            continue;
        m_visible.push_back(quint32(i));
    }
}

qsizetype DiffModel::resultRow(int row) const
{
    return filtered() ? qsizetype(m_visible[size_t(row)]) : qsizetype(row);
}

Result<DiffDetail> DiffModel::detail(int row) const
{
    if (!m_result || row < 0 || row >= rowCount())
        return Error(tr("No such difference."));
    return m_result->detail(resultRow(row));
}

int DiffModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_result)
        return 0;
    return int(filtered() ? qsizetype(m_visible.size()) : m_result->rowCount());
}

int DiffModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString DiffModel::fieldNames(const DiffRow &r) const
{
    QStringList names;
    if (r.statusDiffers())
        names.append(tr("status"));
    const QList<DiffFieldPair> &fields = m_result->summary.fields;
    for (qsizetype f = 0; f < fields.size(); ++f) {
        if (r.differs(int(f)))
            names.append(fields[f].name);
    }
    return names.join(u", "_s);
}

QVariant DiffModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_result)
        return {};
    const qsizetype i = resultRow(index.row());
    const DiffRow &r = m_result->row(i);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case KindColumn: return DiffKinds::displayName(r.kind);
        case EmailColumn: return QString::fromUtf8(m_result->email(i));
        case FieldsColumn: return fieldNames(r);
        case SourceStatusColumn: return statusText(r, true);
        case TargetStatusColumn: return statusText(r, false);
        default: return {};
        }
    case KindRole: return int(r.kind);
    case ResultRowRole: return qlonglong(i);
    case ConsentViolationRole: return r.kind == DiffKind::ConsentViolation;
    case FieldMaskRole: return qulonglong(r.fieldMask);
    default: return {};
    }
}

QVariant DiffModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case KindColumn: return tr("Difference");
    case EmailColumn: return tr("Email");
    case FieldsColumn: return tr("Fields that differ");
    case SourceStatusColumn: return tr("Source status");
    case TargetStatusColumn: return tr("Target status");
    default: return {};
    }
}
