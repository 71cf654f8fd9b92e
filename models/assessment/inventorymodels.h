#pragma once

#include "assessment/inventory.h"
#include "assessment/risks.h"

#include <QAbstractTableModel>

/** The fields of an inventory: name, type, filled rows, share filled, custom or platform field. */
class FieldsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, Type, Filled, Share, Kind, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;

    void setInventory(const QList<InventoryField> &fields, qint64 total);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<InventoryField> m_fields;
    qint64 m_total = 0;
};

/** Tags with how many contacts carry each. */
class TagsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, Count, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;

    void setTags(const QList<InventoryTag> &tags);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<InventoryTag> m_tags;
};

/** Risks, most severe first; the tooltip and Qt::UserRole carry the action. */
class RisksModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Severity, Title, Reason, ColumnCount };
    enum Role { SeverityRole = Qt::UserRole + 1, ActionRole, IdRole };
    using QAbstractTableModel::QAbstractTableModel;

    void setRisks(const QList<Risk> &risks);
    const QList<Risk> &risks() const { return m_risks; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Risk> m_risks;
};
