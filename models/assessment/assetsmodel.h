#pragma once

#include "assessment/asset.h"
#include "core/result.h"

#include <QAbstractTableModel>
#include <QSqlDatabase>

/**
 * The hand-entered templates, campaigns, automations, integrations or sending domains of one
 * kind. Editable in place; every edit is written to the project file at once.
 */
class AssetsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, Details, Plan, Notes, ColumnCount };

    AssetsModel(AssetKind kind, QObject *parent = nullptr);

    AssetKind kind() const { return m_kind; }
    void setDatabase(const QSqlDatabase &db);

    /// Appends an empty row and returns its index (for the view to edit), or an invalid index.
    QModelIndex addRow();
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void saveFailed(const Error &error);
    void countChanged();

private:
    AssetKind m_kind;
    QSqlDatabase m_db;
    QList<Asset> m_rows;
};
