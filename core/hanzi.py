"""Traditional characters in plans copied from mirror sites (牽頭單位, 責任單位, 按職責分工負責).

Only for matching: role words, labels and category phrases are looked up in a simplified copy of the same
length, and names are cut from the text as printed. The table covers the characters of unit and role words,
not the language.
"""

from __future__ import annotations

_PAIRS = (
    "牽牵頭头單单責责負负協协辦办區区縣县鎮镇鄉乡職职關关門门實实級级廳厅發发與与會会員员處处園园財财經经濟济"
    "環环衛卫醫医監监審审務务計计劃划資资規规體体電电農农業业聯联開开黨党機机構构統统場场導导組组織织領领時时間间"
    "為为確确認认參参屬属進进運运輸输設设備备應应當当繼继續续權权證证稅税貿贸產产質质廣广報报紙纸網网絡络務务辦办"
    "圖图書书館馆歷历檔档學学論论價价衛卫護护鐵铁號号寶宝龍龙鳳凤灣湾廈厦門门蘭兰縣县轄辖團团僑侨殘残聯联婦妇愛爱"
    "務务倉仓庫库糧粮儲储漁渔鹽盐礦矿氣气縮缩壓压災灾滅灭險险壩坝閘闸橋桥樓楼屬属優优強强護护")
T2S = str.maketrans({_PAIRS[i]: _PAIRS[i + 1] for i in range(0, len(_PAIRS) - 1, 2)})


def simplified(text: str) -> str:
    """The same text, character for character, with the traditional characters of unit words simplified."""
    return text.translate(T2S)
