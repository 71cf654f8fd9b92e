#pragma once

#include "assessment/inventory.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSqlDatabase>

/**
 * The duplicates or invalid addresses of the stored assessment, read from the project file a page
 * at a time (so a million findings scroll without being loaded), filterable by text.
 */
class FindingsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Address, Source, Line, Detail, ColumnCount };

    FindingsModel(Finding::Kind kind, QObject *parent = nullptr);

    void setDatabase(const QSqlDatabase &db);
    void setFilterText(const QString &text);
    /// Re-reads the count after the stored assessment changed.
    void reload();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row { QString address, source, detail; qint64 line; };
    static constexpr int kPageSize = 256;
    static constexpr int kMaxPages = 32;
    const QList<Row> &page(int number) const;
    QString whereClause() const;

    Finding::Kind m_kind;
    QSqlDatabase m_db;
    QString m_filter;
    int m_count = 0;
    mutable QHash<int, QList<Row>> m_pages;
};
