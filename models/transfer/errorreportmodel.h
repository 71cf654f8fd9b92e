#pragma once

#include "transfer/transferjournal.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSqlDatabase>

/**
 * The failures of one transfer run (the row-level error report), read from the project file a
 * page at a time so that a run with a million rejected rows scrolls without being loaded.
 */
class ErrorReportModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Email, Code, Message, Batch, Time, ColumnCount };

    explicit ErrorReportModel(QObject *parent = nullptr);

    void setRun(const QSqlDatabase &db, qint64 runId);
    qint64 runId() const { return m_runId; }
    /// Re-reads the count after the journal changed (a batch completed, a retry).
    void reload();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static constexpr int kPageSize = 256;

private:
    static constexpr int kMaxPages = 32;
    const QList<RecordFailure> &page(int number) const;

    QSqlDatabase m_db;
    qint64 m_runId = 0;
    int m_count = 0;
    mutable QHash<int, QList<RecordFailure>> m_pages;
};
