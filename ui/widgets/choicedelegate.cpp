#include "widgets/choicedelegate.h"

#include <QComboBox>

ChoiceDelegate::ChoiceDelegate(Choices choices, QString editorName, QObject *parent)
    : QStyledItemDelegate(parent), m_choices(std::move(choices)), m_editorName(std::move(editorName))
{
}

QWidget *ChoiceDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &) const
{
    auto *combo = new QComboBox(parent);
    combo->setObjectName(m_editorName);
    for (const auto &[label, value] : m_choices)
        combo->addItem(label, value);
    return combo;
}

void ChoiceDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *combo = static_cast<QComboBox *>(editor);
    const QVariant current = index.data(Qt::EditRole);
    int at = combo->findData(current);
    if (at < 0)
        at = combo->findText(current.toString());
    combo->setCurrentIndex(qMax(0, at));
}

void ChoiceDelegate::setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const
{
    model->setData(index, static_cast<QComboBox *>(editor)->currentData(), Qt::EditRole);
}
