/** A short document the corpus does not have, written for the upload tests (a city and a topic no other document covers). */
export const marineMeasures = `江门市关于支持海洋牧场建设的若干措施
江府办〔2024〕9号
各县(市、区)人民政府,市政府各部门:
为加快海洋牧场建设,现提出以下措施。
一、支持深远海养殖平台建设。对新建深远海养殖平台的企业,按设备投资额的20%给予补助,最高500万元。(市农业农村局牵头,市财政局配合)
二、支持养殖保险。对参加深远海养殖保险的企业,给予保费50%的补贴。(市农业农村局、市金融局按职责分工负责)
三、本措施自2024年3月1日起施行,有效期3年。
江门市人民政府办公室
2024年2月20日
`;
