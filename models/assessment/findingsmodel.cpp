#include "assessment/findingsmodel.h"

#include <QSqlQuery>

FindingsModel::FindingsModel(Finding::Kind kind, QObject *parent) : QAbstractTableModel(parent), m_kind(kind) {}

void FindingsModel::setDatabase(const QSqlDatabase &db)
{
    m_db = db;
    reload();
}

void FindingsModel::setFilterText(const QString &text)
{
    if (text == m_filter)
        return;
    m_filter = text;
    reload();
}

QString FindingsModel::whereClause() const
{
    return m_filter.isEmpty() ? QStringLiteral("kind = :kind")
                              : QStringLiteral("kind = :kind AND (address LIKE :f ESCAPE '\\' OR source LIKE :f "
                                               "ESCAPE '\\' OR detail LIKE :f ESCAPE '\\')");
}

namespace {
QString likePattern(QString text)
{
    text.replace(u'\\', QStringLiteral("\\\\")).replace(u'%', QStringLiteral("\\%")).replace(u'_', QStringLiteral("\\_"));
    return u'%' + text + u'%';
}
} // namespace

void FindingsModel::reload()
{
    beginResetModel();
    m_pages.clear();
    m_count = 0;
    if (m_db.isOpen()) {
        QSqlQuery q(m_db);
        q.prepare(QStringLiteral("SELECT COUNT(*) FROM assessment_findings WHERE ") + whereClause());
        q.bindValue(QStringLiteral(":kind"), Finding::kindKey(m_kind));
        if (!m_filter.isEmpty())
            q.bindValue(QStringLiteral(":f"), likePattern(m_filter));
        if (q.exec() && q.next())
            m_count = q.value(0).toInt();
    }
    endResetModel();
}

const QList<FindingsModel::Row> &FindingsModel::page(int number) const
{
    auto it = m_pages.constFind(number);
    if (it != m_pages.constEnd())
        return *it;
    if (m_pages.size() >= kMaxPages)
        m_pages.clear();
    QList<Row> rows;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT address, source, line, detail FROM assessment_findings WHERE ") + whereClause()
              + QStringLiteral(" ORDER BY id LIMIT :limit OFFSET :offset"));
    q.bindValue(QStringLiteral(":kind"), Finding::kindKey(m_kind));
    if (!m_filter.isEmpty())
        q.bindValue(QStringLiteral(":f"), likePattern(m_filter));
    q.bindValue(QStringLiteral(":limit"), kPageSize);
    q.bindValue(QStringLiteral(":offset"), number * kPageSize);
    if (q.exec()) {
        while (q.next())
            rows.append(Row{q.value(0).toString(), q.value(1).toString(), q.value(3).toString(), q.value(2).toLongLong()});
    }
    return *m_pages.insert(number, rows);
}

int FindingsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_count;
}

int FindingsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FindingsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const QList<Row> &rows = page(index.row() / kPageSize);
    const int i = index.row() % kPageSize;
    if (i >= rows.size())
        return {};
    const Row &r = rows[i];
    switch (index.column()) {
    case Address: return r.address;
    case Source: return r.source;
    case Line: return r.line;
    case Detail: return r.detail;
    }
    return {};
}

QVariant FindingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Address: return tr("Address");
    case Source: return tr("File");
    case Line: return tr("Line");
    case Detail: return m_kind == Finding::Duplicate ? tr("Duplicate of") : tr("Problem");
    }
    return {};
}
