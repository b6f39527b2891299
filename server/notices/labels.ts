/** Chinese names of finding categories and notice states, for printouts (the client has its own tables). */
export const CATEGORY_ZH: Record<string, string> = {
  roadside_garbage: '路边垃圾',
  construction_waste: '建筑垃圾',
  straw_pile: '秸秆柴草堆',
  overflowing_pool: '垃圾池满溢',
  floating_debris: '水面漂浮物',
  illegal_ad: '违规广告',
  damaged_bin: '垃圾桶破损',
  prohibited_structure: '违章搭建',
  other: '其他',
};

export const NOTICE_STATUS_ZH: Record<string, string> = {
  issued: '已下发',
  in_progress: '整改中',
  reported_fixed: '已报整改',
  verified: '已验收',
  reopened: '退回重改',
};
