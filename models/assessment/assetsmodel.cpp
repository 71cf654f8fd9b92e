#include "assessment/assetsmodel.h"

#include "assessment/assessmentrepository.h"

AssetsModel::AssetsModel(AssetKind kind, QObject *parent) : QAbstractTableModel(parent), m_kind(kind) {}

void AssetsModel::setDatabase(const QSqlDatabase &db)
{
    beginResetModel();
    m_db = db;
    m_rows = m_db.isOpen() ? AssessmentRepository(m_db).assets(m_kind) : QList<Asset>{};
    endResetModel();
}

QModelIndex AssetsModel::addRow()
{
    Result<qint64> id = AssessmentRepository(m_db).addAsset(m_kind);
    if (!id) {
        Q_EMIT saveFailed(id.error());
        return {};
    }
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append(Asset{id.value(), m_kind, QString(), QString(), AssetPlan::Undecided, QString()});
    endInsertRows();
    Q_EMIT countChanged();
    return index(row, Name);
}

bool AssetsModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_rows.size())
        return false;
    AssessmentRepository repo(m_db);
    for (int i = row; i < row + count; ++i) {
        if (Status s = repo.removeAsset(m_rows[i].id); !s) {
            Q_EMIT saveFailed(s.error());
            return false;
        }
    }
    beginRemoveRows({}, row, row + count - 1);
    m_rows.remove(row, count);
    endRemoveRows();
    Q_EMIT countChanged();
    return true;
}

int AssetsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AssetsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AssetsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Asset &a = m_rows[index.row()];
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (index.column()) {
        case Name: return a.name;
        case Details: return a.details;
        case Plan: return role == Qt::EditRole ? QVariant(AssetPlans::key(a.plan)) : QVariant(AssetPlans::displayName(a.plan));
        case Notes: return a.notes;
        }
    }
    return {};
}

bool AssetsModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    Asset changed = m_rows[index.row()];
    const QString text = value.toString();
    switch (index.column()) {
    case Name: changed.name = text.trimmed(); break;
    case Details: changed.details = text; break;
    case Plan:
        if (const auto plan = AssetPlans::fromKey(text))
            changed.plan = *plan;
        else
            return false;
        break;
    case Notes: changed.notes = text; break;
    default: return false;
    }
    if (Status s = AssessmentRepository(m_db).updateAsset(changed); !s) {
        Q_EMIT saveFailed(s.error());
        return false;
    }
    const bool namedChanged = m_rows[index.row()].name.isEmpty() != changed.name.isEmpty();
    m_rows[index.row()] = changed;
    Q_EMIT dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole});
    if (namedChanged)
        Q_EMIT countChanged();
    return true;
}

Qt::ItemFlags AssetsModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable;
}

QVariant AssetsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name: return tr("Name");
    case Details: return AssetKinds::detailsLabel(m_kind);
    case Plan: return tr("Plan");
    case Notes: return tr("Notes");
    }
    return {};
}
