#include "assessment/inventorymodels.h"

#include <QLocale>

void FieldsModel::setInventory(const QList<InventoryField> &fields, qint64 total)
{
    beginResetModel();
    m_fields = fields;
    m_total = total;
    endResetModel();
}

int FieldsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_fields.size());
}

int FieldsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FieldsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const InventoryField &f = m_fields[index.row()];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Name: return f.name;
        case Type: return FieldTypes::displayName(f.type);
        case Filled: return QLocale().toString(f.filled);
        case Share:
            return m_total ? QLocale().toString(100.0 * double(f.filled) / double(m_total), 'f', 1) + u'%' : QString();
        case Kind: return f.custom ? tr("Custom field") : tr("Platform field");
        }
    } else if (role == Qt::TextAlignmentRole && (index.column() == Filled || index.column() == Share)) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    } else if (role == Qt::UserRole) {
        // Sort keys
        switch (index.column()) {
        case Filled:
        case Share: return f.filled;
        default: return data(index, Qt::DisplayRole);
        }
    }
    return {};
}

QVariant FieldsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name: return tr("Field");
    case Type: return tr("Type");
    case Filled: return tr("Filled");
    case Share: return tr("Share");
    case Kind: return tr("Kind");
    }
    return {};
}

void TagsModel::setTags(const QList<InventoryTag> &tags)
{
    beginResetModel();
    m_tags = tags;
    endResetModel();
}

int TagsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tags.size());
}

int TagsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TagsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const InventoryTag &t = m_tags[index.row()];
    if (role == Qt::DisplayRole)
        return index.column() == Name ? QVariant(t.name) : QVariant(QLocale().toString(t.count));
    if (role == Qt::UserRole)
        return index.column() == Name ? QVariant(t.name) : QVariant(t.count);
    if (role == Qt::TextAlignmentRole && index.column() == Count)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant TagsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    return section == Name ? tr("Tag") : tr("Contacts");
}

void RisksModel::setRisks(const QList<Risk> &risks)
{
    beginResetModel();
    m_risks = risks;
    endResetModel();
}

int RisksModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_risks.size());
}

int RisksModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RisksModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Risk &r = m_risks[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Severity: return Risk::severityName(r.severity);
        case Title: return r.title;
        case Reason: return r.reason + u' ' + r.action;
        }
        break;
    case Qt::ToolTipRole: return r.action;
    case SeverityRole: return int(r.severity);
    case ActionRole: return r.action;
    case IdRole: return r.id;
    }
    return {};
}

QVariant RisksModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Severity: return tr("Severity");
    case Title: return tr("Risk");
    case Reason: return tr("Why, and what to do");
    }
    return {};
}
