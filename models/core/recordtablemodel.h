#pragma once

#include "core/result.h"

#include <QAbstractTableModel>
#include <QList>

#include <functional>

/**
 * A table of records (value types) with one column per described field: what each column shows,
 * and how an edit is applied. An edit is saved through a callback before the table changes, so
 * a failed save leaves the table as the project file holds it.
 */
template<typename T>
class RecordTableModel : public QAbstractTableModel
{
public:
    struct Column
    {
        QString header;
        /// The value for a role (DisplayRole, EditRole, ToolTipRole ...); invalid for roles it ignores.
        std::function<QVariant(const T &, int role)> data;
        /// Applies an edited value; empty for read-only columns. Returns false for a value it refuses.
        std::function<bool(T &, const QVariant &)> set = {};
    };
    /// Saves an edited record; it may complete the record (computed fields) before the table takes it.
    using Saver = std::function<bool(T &)>;

    RecordTableModel(QList<Column> columns, Saver save, QObject *parent = nullptr)
        : QAbstractTableModel(parent), m_columns(std::move(columns)), m_save(std::move(save))
    {
    }

    const QList<T> &records() const { return m_records; }
    const T &at(int row) const { return m_records.at(row); }

    void setRecords(QList<T> records)
    {
        beginResetModel();
        m_records = std::move(records);
        endResetModel();
    }

    /// Replaces one record after a change made elsewhere (already saved).
    void replace(int row, const T &record)
    {
        m_records[row] = record;
        Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
    }

    void append(const T &record)
    {
        beginInsertRows({}, int(m_records.size()), int(m_records.size()));
        m_records.append(record);
        endInsertRows();
    }

    void removeAt(int row)
    {
        beginRemoveRows({}, row, row);
        m_records.removeAt(row);
        endRemoveRows();
    }

    /// Every cell may have changed (e.g. dates after rescheduling), rows stay.
    void refreshAll(QList<T> records)
    {
        if (records.size() != m_records.size()) {
            setRecords(std::move(records));
            return;
        }
        m_records = std::move(records);
        if (!m_records.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
    }

    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : int(m_records.size()); }
    int columnCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : int(m_columns.size()); }

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
            return {};
        return m_columns[index.column()].data(m_records[index.row()], role);
    }

    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
            return false;
        const Column &column = m_columns[index.column()];
        if (!column.set || (role != Qt::EditRole && role != Qt::CheckStateRole))
            return false;
        T changed = m_records[index.row()];
        if (!column.set(changed, value) || !m_save(changed))
            return false;
        // The saver may have refreshed the table (a rescheduled timeline): the row is checked again.
        if (index.row() >= m_records.size())
            return true;
        m_records[index.row()] = changed;
        Q_EMIT dataChanged(index.siblingAtColumn(0), index.siblingAtColumn(columnCount() - 1));
        return true;
    }

    Qt::ItemFlags flags(const QModelIndex &index) const override
    {
        Qt::ItemFlags f = QAbstractTableModel::flags(index);
        if (index.isValid() && m_columns[index.column()].set)
            f |= Qt::ItemIsEditable;
        return f;
    }

    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override
    {
        if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0 && section < m_columns.size())
            return m_columns[section].header;
        return QAbstractTableModel::headerData(section, orientation, role);
    }

private:
    QList<Column> m_columns;
    Saver m_save;
    QList<T> m_records;
};
