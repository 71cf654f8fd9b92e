#pragma once

#include "plan/platformchoice.h"

#include <QAbstractTableModel>
#include <functional>

/**
 * The weighted scoring matrix: one row per criterion (its weight editable), one column per
 * candidate platform (best first), and a last row with the weighted totals.
 */
class ScoringModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { CriterionColumn, WeightColumn, FirstPlatformColumn };
    enum Role { ScoreRole = Qt::UserRole + 1, PlatformIdRole, ChosenRole };

    explicit ScoringModel(QObject *parent = nullptr);

    void setScoring(const QList<Criterion> &criteria, const QList<PlatformScore> &ranking, const QString &chosenId);
    /// Called with (criterion key, weight) when the user edits a weight; returns false to refuse.
    void setWeightSaver(std::function<bool(const QString &, int)> saver) { m_saveWeight = std::move(saver); }

    const QList<Criterion> &criteria() const { return m_criteria; }
    const QList<PlatformScore> &ranking() const { return m_ranking; }
    bool isTotalRow(int row) const { return row == m_criteria.size(); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Criterion> m_criteria;
    QList<PlatformScore> m_ranking;
    QString m_chosen;
    std::function<bool(const QString &, int)> m_saveWeight;
};
