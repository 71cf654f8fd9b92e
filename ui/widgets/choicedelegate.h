#pragma once

#include <QList>
#include <QPair>
#include <QStyledItemDelegate>

/**
 * Edits a column by picking from a fixed list (label shown, value written with setData) instead
 * of typing. The editor starts on the choice whose value (or label) the cell's EditRole holds.
 */
class ChoiceDelegate : public QStyledItemDelegate
{
public:
    using Choices = QList<QPair<QString, QVariant>>;

    ChoiceDelegate(Choices choices, QString editorName, QObject *parent = nullptr);

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;

private:
    Choices m_choices;
    QString m_editorName;
};
