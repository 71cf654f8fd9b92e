#include "plan/scoringmodel.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QLocale>

ScoringModel::ScoringModel(QObject *parent) : QAbstractTableModel(parent) {}

void ScoringModel::setScoring(const QList<Criterion> &criteria, const QList<PlatformScore> &ranking, const QString &chosenId)
{
    beginResetModel();
    m_criteria = criteria;
    m_ranking = ranking;
    m_chosen = chosenId;
    endResetModel();
}

int ScoringModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_criteria.size()) + 1;
}

int ScoringModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : FirstPlatformColumn + int(m_ranking.size());
}

QVariant ScoringModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const int col = index.column();
    const bool total = isTotalRow(row);
    const PlatformScore *platform = col >= FirstPlatformColumn ? &m_ranking[col - FirstPlatformColumn] : nullptr;

    if (role == PlatformIdRole)
        return platform ? QVariant(platform->platformId) : QVariant();
    if (role == ChosenRole)
        return platform && platform->platformId == m_chosen;
    if (role == Qt::FontRole && total) {
        QFont f;
        f.setBold(true);
        return f;
    }
    if (role == Qt::TextAlignmentRole && col != CriterionColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);

    if (total) {
        switch (role) {
        case Qt::DisplayRole:
            if (col == CriterionColumn)
                return tr("Weighted total");
            if (platform)
                return QLocale().toString(platform->total, 'f', 0);
            return {};
        case ScoreRole:
            return platform ? QVariant(platform->total / 100.0) : QVariant();
        case Qt::ToolTipRole:
            if (platform && !platform->blockers.isEmpty())
                return tr("Fails an essential criterion:\n%1").arg(platform->blockers.join(u'\n'));
            return {};
        case Qt::ForegroundRole:
            if (platform && !platform->blockers.isEmpty())
                return QBrush(QColor(0xb0, 0x20, 0x20));
            return {};
        }
        return {};
    }

    const Criterion &c = m_criteria[row];
    if (col == CriterionColumn) {
        if (role == Qt::DisplayRole)
            return c.title;
        if (role == Qt::ToolTipRole)
            return c.why;
        return {};
    }
    if (col == WeightColumn) {
        if (role == Qt::DisplayRole || role == Qt::EditRole)
            return c.weight;
        if (role == Qt::ToolTipRole)
            return tr("0 ignores the criterion, 5 makes it essential: a platform that fails it is flagged.");
        return {};
    }
    if (row >= platform->scores.size())
        return {};
    const CriterionScore &s = platform->scores[row];
    switch (role) {
    case Qt::DisplayRole:
        return QLocale().toString(s.score * 5, 'f', 1);
    case ScoreRole:
        return s.score;
    case Qt::ToolTipRole: {
        QString tip = s.explanation;
        if (!s.source.isEmpty())
            tip += u'\n' + tr("Source: %1 (checked %2)").arg(s.source, s.checked);
        return tip;
    }
    }
    return {};
}

bool ScoringModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || role != Qt::EditRole
        || index.column() != WeightColumn || isTotalRow(index.row()))
        return false;
    bool ok = false;
    const int weight = value.toInt(&ok);
    if (!ok || weight < 0 || weight > 5)
        return false;
    const QString key = m_criteria[index.row()].key;
    if (!m_saveWeight || !m_saveWeight(key, weight))
        return false;
    // Shown at once; the saver has the ranking recomputed afterwards, which resets this model.
    m_criteria[index.row()].weight = weight;
    Q_EMIT dataChanged(index, index);
    return true;
}

Qt::ItemFlags ScoringModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == WeightColumn && !isTotalRow(index.row()))
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant ScoringModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section == CriterionColumn)
        return tr("Criterion");
    if (section == WeightColumn)
        return tr("Weight");
    const int p = section - FirstPlatformColumn;
    if (p >= 0 && p < m_ranking.size())
        return m_ranking[p].platformId == m_chosen ? tr("%1 (chosen)").arg(m_ranking[p].name) : m_ranking[p].name;
    return {};
}
