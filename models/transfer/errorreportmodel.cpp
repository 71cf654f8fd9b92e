#include "transfer/errorreportmodel.h"

#include <QLocale>

ErrorReportModel::ErrorReportModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void ErrorReportModel::setRun(const QSqlDatabase &db, qint64 runId)
{
    m_db = db;
    m_runId = runId;
    reload();
}

void ErrorReportModel::reload()
{
    beginResetModel();
    m_pages.clear();
    m_count = 0;
    if (m_db.isOpen() && m_runId > 0) {
        TransferJournal journal(m_db);
        if (const auto n = journal.failedCount(m_runId))
            m_count = int(qMin<qint64>(n.value(), std::numeric_limits<int>::max()));
    }
    endResetModel();
}

const QList<RecordFailure> &ErrorReportModel::page(int number) const
{
    auto it = m_pages.constFind(number);
    if (it != m_pages.constEnd())
        return *it;
    if (m_pages.size() >= kMaxPages)
        m_pages.clear();
    TransferJournal journal(m_db);
    auto rows = journal.failures(m_runId, qint64(number) * kPageSize, kPageSize);
    return *m_pages.insert(number, rows ? rows.value() : QList<RecordFailure>());
}

int ErrorReportModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_count;
}

int ErrorReportModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ErrorReportModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const QList<RecordFailure> &rows = page(index.row() / kPageSize);
    const int i = index.row() % kPageSize;
    if (i >= rows.size())
        return {};
    const RecordFailure &r = rows[i];
    switch (index.column()) {
    case Email:
        return r.email;
    case Code:
        return r.code;
    case Message:
        return r.message;
    case Batch:
        return r.batchSeq;
    case Time:
        return r.time.isValid() ? QLocale().toString(r.time.toLocalTime(), QLocale::ShortFormat)
                                : QString();
    }
    return {};
}

QVariant ErrorReportModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Email:
        return tr("Email");
    case Code:
        return tr("Code");
    case Message:
        return tr("Message");
    case Batch:
        return tr("Batch");
    case Time:
        return tr("Time");
    }
    return {};
}
